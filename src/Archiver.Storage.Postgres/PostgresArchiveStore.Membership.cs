using Archiver.Cluster;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public async Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentException.ThrowIfNullOrEmpty(heartbeat.NodeId);

        await using var upsert = _dataSource.CreateCommand("""
            INSERT INTO nodes (node_id, address, started_at, last_heartbeat, items_per_sec)
            VALUES (@node, @address, @started_at, @now, @items_per_sec)
            ON CONFLICT (node_id) DO UPDATE
            SET address = excluded.address, started_at = excluded.started_at,
                last_heartbeat = excluded.last_heartbeat, items_per_sec = excluded.items_per_sec
            """);
        upsert.Bind("@node", heartbeat.NodeId);
        upsert.Bind("@address", heartbeat.Address);
        upsert.Bind("@started_at", UnixMs.From(heartbeat.StartedAt));
        upsert.Bind("@now", _time.Now());
        upsert.Bind("@items_per_sec", NpgsqlDbType.Double, heartbeat.ItemsPerSecond);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
        await using var select = _dataSource.CreateCommand(
            "SELECT node_id, address, started_at, last_heartbeat, items_per_sec FROM nodes ORDER BY node_id");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<ClusterNode>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(new ClusterNode(
                reader.GetString(0),
                reader.GetString(1),
                UnixMs.ToTime(reader.GetInt64(2)),
                UnixMs.ToTime(reader.GetInt64(3)),
                reader.GetDouble(4)));
        }

        return nodes;
    }
}
