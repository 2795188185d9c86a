using Archiver.Core.Cluster;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) =>
        _relational.HeartbeatAsync(heartbeat, cancellationToken);

    // No turn to take first: writers take turns anyway, within the process at the write gate and across processes at
    // BEGIN IMMEDIATE.
    public Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) =>
        _relational.JoinClusterAsync(heartbeat, takeTurn: null, cancellationToken);

    public Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken) =>
        _relational.LeaveClusterAsync(nodeId, cancellationToken);

    public Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken) =>
        _relational.ListNodesAsync(cancellationToken);
}
