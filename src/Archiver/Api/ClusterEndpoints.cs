using Akka.Actor;
using Archiver.Core.Cluster;
using Archiver.Core.Node;
using Archiver.Core.Storage;

namespace Archiver.Api;

/// <summary>
/// <c>/api/v1/cluster</c>: the Akka cluster of the nodes sharing this database, each member with its node id, the
/// customers whose leases it holds and its throughput; <c>POST /cluster/leave</c> and <c>/cluster/down</c> ask a member
/// to leave gracefully (it drains its customers and shuts down) or down it (removed at once; a live node downed shuts
/// itself down); <c>GET /cluster/shards</c> shows which node holds each shard of customers.
/// </summary>
internal static class ClusterEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var cluster = api.MapGroup("/cluster");
        cluster.MapGet("/", GetAsync);
        cluster.MapGet("/shards", ShardsAsync);
        cluster.MapPost("/leave", (HttpRequest request, IArchiveStore store, ArchiverNode node, ActorSystem system, CancellationToken ct) =>
            ActAsync("leave", request, store, node, system, ct));
        cluster.MapPost("/down", (HttpRequest request, IArchiveStore store, ArchiverNode node, ActorSystem system, CancellationToken ct) =>
            ActAsync("down", request, store, node, system, ct));
    }

    private static async Task<IResult> GetAsync(IArchiveStore store, ArchiverNode node, NodeInfo info, ActorSystem system, CancellationToken ct)
    {
        var membership = MembershipSnapshot.Of(system);
        var nodes = await store.ListNodesAsync(ct);
        var leases = await store.ListLeasesAsync(ct);
        // This node answers, so it is listed even before its first heartbeat wrote its row.
        var self = new ClusterNode(node.NodeId, info.Address?.ToString() ?? node.Address, info.StartedAt, default, node.Activity().Sum(a => a.ArchivedPerSecond))
        {
            ClusterAddress = membership.Self.ToString(),
        };
        return Results.Ok(ClusterMembership.View(membership, self, nodes, leases));
    }

    /// <summary>Which node holds each shard of customers, how many customers run in it, and which customers it holds.</summary>
    private static async Task<IResult> ShardsAsync(IArchiveStore store, ArchiverNode node, CancellationToken ct)
    {
        var placements = await node.ShardsAsync(TimeSpan.FromSeconds(5), ct);
        var nodes = await store.ListNodesAsync(ct);
        var nodeAt = nodes.Where(n => n.ClusterAddress.Length > 0).ToDictionary(n => n.ClusterAddress, n => n.NodeId, StringComparer.Ordinal);
        var customersOf = (await store.ListCustomersAsync(ct))
            .GroupBy(c => CustomerSharding.ShardOf(c.Id), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Id.Value).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return Results.Ok(new ShardsView(
            CustomerSharding.NumberOfShards,
            placements.Select(p => new ShardView(
                p.ShardId, p.NodeAddress, nodeAt.GetValueOrDefault(p.NodeAddress), p.Customers, customersOf.GetValueOrDefault(p.ShardId) ?? [])).ToArray()));
    }

    private static async Task<IResult> ActAsync(string action, HttpRequest request, IArchiveStore store, ArchiverNode node, ActorSystem system, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ClusterMemberRequest>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var nodes = await store.ListNodesAsync(ct);
        var membership = MembershipSnapshot.Of(system);
        var (member, nodeId, refused) = ClusterMembership.Resolve(body!, action, membership, node.NodeId, nodes);
        if (refused is not null)
        {
            return refused;
        }

        if (action == "leave")
        {
            membership.Cluster!.Leave(member!.Address);
        }
        else
        {
            membership.Cluster!.Down(member!.Address);
        }

        return Results.Accepted(value: new ClusterActionView(action, member.Address.ToString(), nodeId));
    }
}
