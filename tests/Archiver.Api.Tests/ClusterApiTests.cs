using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Archiver.Core.Cluster;
using Archiver.Core.Storage;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

/// <summary>
/// <c>/api/v1/cluster</c> on the in-process node, a cluster of one: the members as Akka sees them joined with the
/// database's rows, nodes gone from the cluster, the shards of customers, and leave/down refusing what names no member.
/// </summary>
public sealed class ClusterApiTests
{
    private const string DeadNodeAddress = "akka.tcp://archiver@127.0.0.1:9";

    [Fact]
    public async Task Shards_ShowTheShardOfEachCustomer_HeldByTheNodeRunningIt()
    {
        await using var node = await ApiNode.StartAsync();
        await node.AddCustomerAsync("acme");
        await node.AddCustomerAsync("globex");

        JsonElement shards = default;
        await Eventually.TrueAsync(async () =>
        {
            shards = await node.GetJsonAsync("/api/v1/cluster/shards");
            return shards.GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("running").GetInt32()) == 2;
        }, "both customers run in their shards");

        Assert.Equal(100, shards.GetProperty("numberOfShards").GetInt32());
        var held = shards.GetProperty("shards").EnumerateArray().ToArray();
        Assert.All(held, s => Assert.Equal("api-test-node", s.GetProperty("nodeId").GetString()));
        Assert.Equal(
            ["acme", "globex"],
            held.SelectMany(s => s.GetProperty("customers").EnumerateArray().Select(c => c.GetString()!)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cluster_ListsItselfAsAnUpReachableLeader_WithItsNodeIdApiAddressAndTheCustomersWhoseLeasesItHolds()
    {
        await using var node = await ApiNode.StartAsync();
        await node.AddCustomerAsync("acme");

        JsonElement cluster = default;
        await Eventually.TrueAsync(async () =>
        {
            cluster = await node.GetJsonAsync("/api/v1/cluster");
            var self = SelfMember(cluster);
            return self.GetProperty("lastHeartbeat").ValueKind == JsonValueKind.String
                && self.GetProperty("customers").EnumerateArray().Any(c => c.GetString() == "acme")
                && cluster.GetProperty("leases").EnumerateArray().Any(l => l.GetProperty("customer").GetString() == "acme" && l.GetProperty("nodeId").GetString() == "api-test-node");
        }, "the node's heartbeat registers it, and it holds acme's lease");

        Assert.Equal("api-test-node", cluster.GetProperty("self").GetString());
        var member = Assert.Single(cluster.GetProperty("members").EnumerateArray());
        var address = member.GetProperty("address").GetString()!;
        Assert.StartsWith("akka.tcp://archiver@127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Equal(address, cluster.GetProperty("selfAddress").GetString());
        Assert.Equal(address, cluster.GetProperty("leader").GetString());
        Assert.Equal("api-test-node", member.GetProperty("nodeId").GetString());
        Assert.Equal("up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("reachable").GetBoolean());
        Assert.True(member.GetProperty("leader").GetBoolean());
        Assert.Equal(JsonValueKind.Array, member.GetProperty("roles").ValueKind);
        Assert.Equal(node.Address.ToString(), member.GetProperty("apiAddress").GetString());
        Assert.Equal(JsonValueKind.String, member.GetProperty("upSince").ValueKind);
        Assert.Equal(JsonValueKind.Number, member.GetProperty("itemsPerSecond").ValueKind);
        Assert.Empty(cluster.GetProperty("gone").EnumerateArray());
    }

    [Fact]
    public async Task Cluster_ListsARowThatMatchesNoMemberAsGone_NotAsAMember()
    {
        await using var node = await ApiNode.StartAsync();
        await RegisterDeadNodeAsync(node);

        var cluster = await node.GetJsonAsync("/api/v1/cluster");

        var gone = cluster.GetProperty("gone").EnumerateArray().ToArray();
        Assert.Equal(["dead-node", "never-joined"], gone.Select(g => g.GetProperty("nodeId").GetString()));
        Assert.Equal(DeadNodeAddress, gone[0].GetProperty("address").GetString());
        Assert.Equal("http://127.0.0.1:9/", gone[0].GetProperty("apiAddress").GetString());
        Assert.Equal(JsonValueKind.String, gone[0].GetProperty("lastHeartbeat").ValueKind);
        Assert.Equal("", gone[1].GetProperty("address").GetString());
        Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.Equal("api-test-node", SelfMember(cluster).GetProperty("nodeId").GetString());
    }

    [Theory]
    [InlineData("leave", """{"address":"not an address"}""", "address", "not an Akka address")]
    [InlineData("down", """{"address":"akka.tcp://archiver@127.0.0.1"}""", "address", "not an Akka address")]
    [InlineData("leave", """{"address":"http://127.0.0.1:8780"}""", "address", "not an Akka address")]
    [InlineData("down", """{"address":"akka.tcp://archiver@127.0.0.1:99999"}""", "address", "not an Akka address")]
    [InlineData("leave", """{"node":"nobody"}""", "node", "'nobody' is no node registered")]
    [InlineData("down", """{"node":"nobody"}""", "node", "'nobody' is no node registered")]
    [InlineData("leave", """{"address":"akka.tcp://archiver@127.0.0.1:9"}""", "address", "is not a member of the cluster")]
    [InlineData("down", """{"address":"akka.tcp://archiver@127.0.0.1:9"}""", "address", "is not a member of the cluster")]
    [InlineData("leave", """{"node":"dead-node"}""", "node", "is not a member of the cluster")]
    [InlineData("down", """{"node":"dead-node"}""", "node", "is not a member of the cluster")]
    [InlineData("leave", """{"node":"never-joined"}""", "node", "has not recorded a cluster address")]
    [InlineData("down", "{}", "address", "is required")]
    [InlineData("leave", """{"address":"akka.tcp://archiver@127.0.0.1:9","node":"dead-node"}""", "node", "must not be given with address")]
    public async Task LeaveOrDown_NamingNoMember_Is400WithTheReason_AndTheNodeStaysUp(string action, string body, string field, string reason)
    {
        await using var node = await ApiNode.StartAsync();
        await RegisterDeadNodeAsync(node);
        await UpAsync(node);

        var (status, problem) = await node.SendAsync(HttpMethod.Post, $"/api/v1/cluster/{action}", raw: body);

        Assert.Equal(400, status);
        var messages = string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()));
        Assert.Contains(reason, messages, StringComparison.Ordinal);
        Assert.Equal("up", SelfMember(await node.GetJsonAsync("/api/v1/cluster")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("leave", "{ broken")]
    [InlineData("down", """{"address": 42}""")]
    [InlineData("down", "null")]
    public async Task LeaveOrDown_WithAMalformedBody_Is400(string action, string body)
    {
        await using var node = await ApiNode.StartAsync();

        var (status, problem) = await node.SendAsync(HttpMethod.Post, $"/api/v1/cluster/{action}", raw: body);

        Assert.Equal(400, status);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ClusterRoutes_WithoutTheToken_Are401_AndLeaveDoesNothing()
    {
        await using var node = await ApiNode.StartAsync();
        await UpAsync(node);
        using var anonymous = new HttpClient { BaseAddress = node.Address };

        using var get = await anonymous.GetAsync(new Uri("/api/v1/cluster", UriKind.Relative));
        using var leave = await anonymous.PostAsJsonAsync(new Uri("/api/v1/cluster/leave", UriKind.Relative), new { node = "api-test-node" });
        using var down = await anonymous.PostAsJsonAsync(new Uri("/api/v1/cluster/down", UriKind.Relative), new { node = "api-test-node" });

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, leave.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, down.StatusCode);
        await Task.Delay(500); // a leave that got through would show by now
        Assert.Equal("up", SelfMember(await node.GetJsonAsync("/api/v1/cluster")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CustomerShowAndList_NameTheNodeServingTheCustomer()
    {
        await using var node = await ApiNode.StartAsync();

        var (status, created) = await node.SendAsync(HttpMethod.Post, "/api/v1/customers", new { id = "acme", accessToken = "sl.secret-dropbox-token" });

        Assert.Equal(201, status);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("servedBy").ValueKind); // no node has taken it yet
        await Eventually.TrueAsync(
            async () => (await node.GetJsonAsync("/api/v1/customers/acme")).GetProperty("servedBy").GetString() == "api-test-node",
            "acme is shown as served by the node holding its lease");
        var listed = (await node.GetJsonAsync("/api/v1/customers")).EnumerateArray().Single(c => c.GetProperty("id").GetString() == "acme");
        Assert.Equal("api-test-node", listed.GetProperty("servedBy").GetString());
    }

    /// <summary>Waits until the node has joined its cluster of one.</summary>
    private static Task UpAsync(ApiNode node) => Eventually.TrueAsync(
        async () => SelfMember(await node.GetJsonAsync("/api/v1/cluster")).GetProperty("status").GetString() == "up", "the node is up");

    private static JsonElement SelfMember(JsonElement cluster) =>
        cluster.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("nodeId").GetString() == cluster.GetProperty("self").GetString());

    /// <summary>Rows of nodes that are no member: one that died (with an address), one that never joined (without).</summary>
    private static async Task RegisterDeadNodeAsync(ApiNode node)
    {
        var store = node.App.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        var startedAt = DateTimeOffset.Parse("2026-11-24T09:00:00Z", CultureInfo.InvariantCulture);
        await store.HeartbeatAsync(new NodeHeartbeat("dead-node", "http://127.0.0.1:9/", startedAt, 3.5) { ClusterAddress = DeadNodeAddress }, CancellationToken.None);
        await store.HeartbeatAsync(new NodeHeartbeat("never-joined", "", startedAt, 0), CancellationToken.None);
    }
}
