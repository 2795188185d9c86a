namespace Archiver.Core.Cluster;

/// <summary>A node as the shared database last heard of it.</summary>
/// <param name="NodeId">The node's unique name.</param>
/// <param name="Address">Where its admin API listens (may be empty).</param>
/// <param name="StartedAt">When the node started.</param>
/// <param name="LastHeartbeat">When its last heartbeat was written, by the store's clock.</param>
/// <param name="ItemsPerSecond">Its throughput as of that heartbeat.</param>
public sealed record ClusterNode(string NodeId, string Address, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, double ItemsPerSecond)
{
    /// <summary>
    /// The node's Akka.Cluster address (e.g. <c>akka.tcp://archiver@127.0.0.1:41234</c>), by which other nodes join it
    /// and by which the cluster's members map to node ids; empty before it joined.
    /// </summary>
    public string ClusterAddress { get; init; } = string.Empty;

    /// <summary>Whether the node heartbeated within <paramref name="timeout"/> of <paramref name="now"/>.</summary>
    public bool IsAlive(DateTimeOffset now, TimeSpan timeout) => now - LastHeartbeat <= timeout;
}
