using Archiver.Core.Cluster;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) =>
        _relational.HeartbeatAsync(heartbeat, cancellationToken);

    // Joins take turns at an advisory lock held until commit, so a join that waited on it reads (with a fresh
    // read-committed snapshot) the row of every join before it. Without it two nodes starting together could each miss
    // the other's uncommitted row, and each start a cluster of its own.
    public Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) =>
        _relational.JoinClusterAsync(
            heartbeat, static (transaction, cancellation) => AdvisoryLock.TakeAsync(transaction, AdvisoryLock.Joins, cancellation), cancellationToken);

    public Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken) =>
        _relational.LeaveClusterAsync(nodeId, cancellationToken);

    public Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken) =>
        _relational.ListNodesAsync(cancellationToken);
}
