using Archiver.Core.Cluster;

namespace Archiver.Core.Storage;

/// <summary>
/// The nodes sharing the store: each registers itself and heartbeats into its row, and a joining node finds the
/// others here.
/// </summary>
public interface INodeRegistry
{
    /// <summary>Registers the node, or refreshes its row, stamping the heartbeat with the store's clock.</summary>
    Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>
    /// Registers the node (as <see cref="HeartbeatAsync"/>) and returns every registered node, itself included, as one
    /// step serialized against every other node's join: of two nodes joining at the same moment, the second sees the
    /// first, so they never both start a cluster of their own.
    /// </summary>
    Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>Removes a node that is leaving the cluster gracefully.</summary>
    Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Every registered node, live or not, by node id.</summary>
    Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken);
}
