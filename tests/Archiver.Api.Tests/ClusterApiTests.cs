using Archiver.Cluster;
using Archiver.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

public sealed class ClusterApiTests
{
    [Fact]
    public async Task Cluster_ListsNodesWithTheCustomersWhoseLeasesTheyHold()
    {
        await using var node = await ApiNode.StartAsync();
        var store = node.App.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await store.HeartbeatAsync(new NodeHeartbeat("api-test-node", node.Address.ToString(), DateTimeOffset.Parse("2026-11-24T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 12.5), CancellationToken.None);
        await node.AddCustomerAsync("acme");

        await Testing.Eventually.TrueAsync(async () =>
        {
            var cluster = await node.GetJsonAsync("/api/v1/cluster");
            var self = cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("nodeId").GetString() == "api-test-node");
            return cluster.GetProperty("self").GetString() == "api-test-node"
                && self.GetProperty("address").GetString() == node.Address.ToString()
                && self.GetProperty("customers").EnumerateArray().Any(c => c.GetString() == "acme")
                && cluster.GetProperty("leases").EnumerateArray().Any(l => l.GetProperty("customer").GetString() == "acme");
        }, "the node shows as holding acme's lease");
    }

    [Fact]
    public async Task Cluster_ShowsTheAnsweringNodeRegisteredByItsHeartbeat_WithItsApiAddressAndCustomers()
    {
        await using var node = await ApiNode.StartAsync();
        await node.AddCustomerAsync("acme");

        await Testing.Eventually.TrueAsync(async () =>
        {
            var cluster = await node.GetJsonAsync("/api/v1/cluster");
            var self = cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("nodeId").GetString() == "api-test-node");
            return self.GetProperty("alive").GetBoolean()
                && self.GetProperty("lastHeartbeat").ValueKind == System.Text.Json.JsonValueKind.String
                && self.GetProperty("address").GetString() == node.Address.ToString()
                && self.GetProperty("customers").EnumerateArray().Any(c => c.GetString() == "acme");
        }, "the node's heartbeat registers it with its API address, and it lists acme");
    }
}
