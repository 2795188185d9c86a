using Archiver.Node;
using Archiver.Storage;
using Microsoft.Extensions.Options;

namespace Archiver.App.Api;

/// <summary><c>GET /api/v1/cluster</c>: the nodes sharing this database and which customers each owns.</summary>
internal static class ClusterEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/cluster", GetAsync);

    private static async Task<IResult> GetAsync(
        IArchiveStore store, ArchiverNode node, NodeInfo info, IOptions<NodeOptions> nodeOptions, TimeProvider time, CancellationToken ct)
    {
        var aliveWithin = nodeOptions.Value.NodeTimeout; // the same rule the nodes use to move a silent node's customers
        var now = time.GetUtcNow();
        var nodes = await store.ListNodesAsync(ct);
        var leases = await store.ListLeasesAsync(ct);
        var owned = leases.GroupBy(l => l.NodeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => l.Customer.Value).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var views = nodes.Select(n => new ClusterNodeView(
            n.NodeId, n.Address, n.StartedAt, n.LastHeartbeat, n.IsAlive(now, aliveWithin), n.ItemsPerSecond,
            owned.GetValueOrDefault(n.NodeId) ?? [])).ToList();
        if (!views.Any(v => v.NodeId == node.NodeId))
        {
            // This node answers, so it is alive, even when it has not written a membership heartbeat.
            views.Add(new ClusterNodeView(node.NodeId, info.Address?.ToString() ?? "", info.StartedAt, null, true,
                node.Activity().Sum(a => a.ArchivedPerSecond), owned.GetValueOrDefault(node.NodeId) ?? []));
        }

        return Results.Ok(new ClusterView(
            node.NodeId,
            views.OrderBy(v => v.NodeId, StringComparer.Ordinal).ToArray(),
            leases.Select(l => new LeaseView(l.Customer.Value, l.NodeId, l.FencingToken, l.ExpiresAt)).ToArray()));
    }
}
