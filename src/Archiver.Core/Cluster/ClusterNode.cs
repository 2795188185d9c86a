namespace Archiver.Cluster;

/// <summary>A node as the shared database last heard of it.</summary>
/// <param name="NodeId">The node's unique name.</param>
/// <param name="Address">Where its admin API listens (may be empty).</param>
/// <param name="StartedAt">When the node started.</param>
/// <param name="LastHeartbeat">When its last heartbeat was written, by the store's clock.</param>
/// <param name="ItemsPerSecond">Its throughput as of that heartbeat.</param>
public sealed record ClusterNode(string NodeId, string Address, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, double ItemsPerSecond)
{
    /// <summary>Whether the node heartbeated within <paramref name="timeout"/> of <paramref name="now"/>.</summary>
    public bool IsAlive(DateTimeOffset now, TimeSpan timeout) => now - LastHeartbeat <= timeout;
}
