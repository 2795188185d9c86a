using System.Data.Common;
using Archiver.Cluster;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    private const string SelectNodesSql =
        "SELECT node_id, address, cluster_address, started_at, last_heartbeat, items_per_sec FROM nodes ORDER BY node_id";

    public Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(heartbeat.NodeId);
        var now = _time.Now();

        return _database.WriteAsync(
            transaction => UpsertNodeAsync(transaction, heartbeat, now, cancellationToken),
            cancellationToken);
    }

    public Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(heartbeat.NodeId);
        var now = _time.Now();

        // One write transaction: writers take turns (within the process at the write gate, across processes at BEGIN
        // IMMEDIATE), so a join that comes second reads the row of the one before it.
        return _database.WriteAsync(
            async transaction =>
            {
                await UpsertNodeAsync(transaction, heartbeat, now, cancellationToken).ConfigureAwait(false);
                using var select = transaction.Command(SelectNodesSql);
                return await ReadNodesAsync(select, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return _database.WriteAsync(
            async transaction =>
            {
                using var delete = transaction.Command("DELETE FROM nodes WHERE node_id = @node");
                delete.Bind("@node", nodeId);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command(SelectNodesSql);
        return await ReadNodesAsync(select, cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpsertNodeAsync(DbTransaction transaction, NodeHeartbeat heartbeat, long now, CancellationToken cancellationToken)
    {
        using var upsert = transaction.Command("""
            INSERT INTO nodes (node_id, address, cluster_address, started_at, last_heartbeat, items_per_sec)
            VALUES (@node, @address, @cluster_address, @started_at, @now, @items_per_sec)
            ON CONFLICT (node_id) DO UPDATE
            SET address = excluded.address, cluster_address = excluded.cluster_address, started_at = excluded.started_at,
                last_heartbeat = excluded.last_heartbeat, items_per_sec = excluded.items_per_sec
            """);
        upsert.Bind("@node", heartbeat.NodeId);
        upsert.Bind("@address", heartbeat.Address);
        upsert.Bind("@cluster_address", heartbeat.ClusterAddress);
        upsert.Bind("@started_at", UnixMs.From(heartbeat.StartedAt));
        upsert.Bind("@now", now);
        upsert.Bind("@items_per_sec", heartbeat.ItemsPerSecond);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the rows of <see cref="SelectNodesSql"/>.</summary>
    private static async Task<IReadOnlyList<ClusterNode>> ReadNodesAsync(DbCommand select, CancellationToken cancellationToken)
    {
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<ClusterNode>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(new ClusterNode(
                reader.GetString(0),
                reader.GetString(1),
                UnixMs.ToTime(reader.GetInt64(3)),
                UnixMs.ToTime(reader.GetInt64(4)),
                reader.GetDouble(5))
            {
                ClusterAddress = reader.GetString(2),
            });
        }

        return nodes;
    }
}
