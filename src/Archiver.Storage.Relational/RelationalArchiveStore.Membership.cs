using System.Data.Common;
using Archiver.Core.Cluster;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
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
        var now = Time.Now();

        await Database.ExecuteAsync(UpsertNodeSql, upsert => BindHeartbeat(upsert, heartbeat, now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers the node and lists every registered node, itself included, in one write transaction that first takes
    /// its turn among joins (<see cref="TakeJoinTurnAsync"/>), so a join that comes second reads the row of the one
    /// before it.
    /// </summary>
    public Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(heartbeat.NodeId);
        var now = Time.Now();

        return Database.WriteAsync<IReadOnlyList<ClusterNode>>(
            async transaction =>
            {
                await TakeJoinTurnAsync(transaction, cancellationToken).ConfigureAwait(false);

                using (var upsert = transaction.Command(UpsertNodeSql))
                {
                    BindHeartbeat(upsert, heartbeat, now);
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using var select = transaction.Command(SelectNodesSql);
                return await select.ReadAllAsync(ReadNode, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>
    /// Takes the join's turn among joins in its write transaction, held until the transaction ends; completes at once
    /// where write transactions already take turns.
    /// </summary>
    private protected abstract Task TakeJoinTurnAsync(DbTransaction transaction, CancellationToken cancellationToken);

    public async Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        await Database.ExecuteAsync("DELETE FROM nodes WHERE node_id = @node", delete => delete.Bind("@node", nodeId), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken) =>
        await ReadAsync(SelectNodesSql, null, ReadNode, cancellationToken).ConfigureAwait(false);

    private static void BindHeartbeat(DbCommand upsert, NodeHeartbeat heartbeat, long now)
    {
        upsert.Bind("@node", heartbeat.NodeId);
        upsert.Bind("@address", heartbeat.Address);
        upsert.Bind("@cluster_address", heartbeat.ClusterAddress);
        upsert.Bind("@started_at", UnixMs.From(heartbeat.StartedAt));
        upsert.Bind("@now", now);
        upsert.Bind("@items_per_sec", heartbeat.ItemsPerSecond);
    }

    /// <summary>Reads a row of <see cref="SelectNodesSql"/>.</summary>
    private static ClusterNode ReadNode(DbDataReader row) =>
        new(row.GetString(0), row.GetString(1), UnixMs.ToTime(row.GetInt64(3)), UnixMs.ToTime(row.GetInt64(4)), row.GetDouble(5))
        {
            ClusterAddress = row.GetString(2),
        };
}
