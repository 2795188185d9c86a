using Archiver.Cluster;
using Archiver.Storage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    private const string UpsertNodeSql = """
        INSERT INTO nodes (node_id, address, cluster_address, started_at, last_heartbeat, items_per_sec)
        VALUES (@node, @address, @cluster_address, @started_at, @now, @items_per_sec)
        ON CONFLICT (node_id) DO UPDATE
        SET address = excluded.address, cluster_address = excluded.cluster_address, started_at = excluded.started_at,
            last_heartbeat = excluded.last_heartbeat, items_per_sec = excluded.items_per_sec
        """;

    private const string SelectNodesSql =
        "SELECT node_id, address, cluster_address, started_at, last_heartbeat, items_per_sec FROM nodes ORDER BY node_id";

    public async Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(heartbeat.NodeId);

        await using var upsert = _dataSource.CreateCommand(UpsertNodeSql);
        BindHeartbeat(upsert, heartbeat, _time.Now());
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(heartbeat.NodeId);
        var now = _time.Now();

        return InTransactionAsync(
            async (connection, transaction) =>
            {
                // Joins take turns: the lock is held until commit, so a join that waited on it reads (with a fresh
                // read-committed snapshot) the row of every join before it. Without it two nodes starting together
                // could each miss the other's uncommitted row, and each start a cluster of its own.
                await AdvisoryLock.TakeAsync(transaction, AdvisoryLock.Joins, cancellationToken).ConfigureAwait(false);

                await using (var upsert = connection.Command(UpsertNodeSql, transaction))
                {
                    BindHeartbeat(upsert, heartbeat, now);
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var select = connection.Command(SelectNodesSql, transaction);
                return await ReadNodesAsync(select, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public async Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        await using var delete = _dataSource.CreateCommand("DELETE FROM nodes WHERE node_id = @node");
        delete.Bind("@node", nodeId);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken)
    {
        await using var select = _dataSource.CreateCommand(SelectNodesSql);
        return await ReadNodesAsync(select, cancellationToken).ConfigureAwait(false);
    }

    private static void BindHeartbeat(NpgsqlCommand upsert, NodeHeartbeat heartbeat, long now)
    {
        upsert.Bind("@node", heartbeat.NodeId);
        upsert.Bind("@address", heartbeat.Address);
        upsert.Bind("@cluster_address", heartbeat.ClusterAddress);
        upsert.Bind("@started_at", UnixMs.From(heartbeat.StartedAt));
        upsert.Bind("@now", now);
        upsert.Bind("@items_per_sec", NpgsqlDbType.Double, heartbeat.ItemsPerSecond);
    }

    /// <summary>Reads the rows of <see cref="SelectNodesSql"/>.</summary>
    private static async Task<IReadOnlyList<ClusterNode>> ReadNodesAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
