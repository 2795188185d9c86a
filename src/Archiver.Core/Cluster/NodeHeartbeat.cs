namespace Archiver.Core.Cluster;

/// <summary>What a live node reports about itself every heartbeat.</summary>
/// <param name="NodeId">The node's unique name.</param>
/// <param name="Address">Where its admin API listens, for operators (may be empty).</param>
/// <param name="StartedAt">When the node started.</param>
/// <param name="ItemsPerSecond">Items it archived per second over the last interval.</param>
public sealed record NodeHeartbeat(string NodeId, string Address, DateTimeOffset StartedAt, double ItemsPerSecond)
{
    /// <summary>
    /// The node's Akka.Cluster address (e.g. <c>akka.tcp://archiver@127.0.0.1:41234</c>), by which other nodes join it
    /// and by which the cluster's members map to node ids; empty before it joined.
    /// </summary>
    public string ClusterAddress { get; init; } = string.Empty;
}
