using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Dropbox.Emulator;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Xunit.Abstractions;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// <c>archiver cluster show|leave|down</c> driving three real <c>archiver run</c> processes that share a throwaway
/// PostgreSQL: the CLI sees the Akka cluster's members, makes one leave (it drains and exits), downs another (it
/// exits), and the last one serves every customer.
/// </summary>
public sealed class ClusterCommandTests(ITestOutputHelper output) : ClusterTest
{
    private const int Customers = 6;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ClusterShowLeaveAndDown_ThroughTheCli_LeaveTheLastNodeServingEveryCustomer()
    {
        var started = Stopwatch.StartNew();
        await using var database = await PostgresDatabase.CreateAsync("clustercli");
        await using var store = await OpenStoreAsync(database.ConnectionString);
        var names = Enumerable.Range(0, Customers).Select(i => $"customer-{i}").ToArray();
        await AddCustomersAsync(store, names, AccountLimits.Unlimited);

        await using var node1 = await StartNodeAsync("node-1", database.ConnectionString);
        await using var node2 = await StartNodeAsync("node-2", database.ConnectionString);
        await using var node3 = await StartNodeAsync("node-3", database.ConnectionString);
        try
        {
            // show: three members, up and reachable, one of them the leader, each with its node id and API address, and
            // (sharding spreads the customers' shards over the members) each serving customers.
            JsonElement cluster = default;
            try
            {
                await Eventually.TrueAsync(async () =>
                {
                    cluster = await ShowAsync(node1);
                    return Members(cluster).Count(m => m.GetProperty("status").GetString() == "up") == 3
                        && cluster.GetProperty("leases").GetArrayLength() == Customers
                        && Members(cluster).All(m => m.GetProperty("customers").GetArrayLength() > 0);
                }, "cluster show lists three up members, each serving customers", Generous);
            }
            catch (TimeoutException)
            {
                // What the cluster looked like, where its shards were, and what each node did, for whoever reads the failure.
                output.WriteLine($"{cluster}\n{(await node1.CliAsync("cluster", "shards")).Output}");
                output.WriteLine($"node-1:\n{node1.Output}\nnode-2:\n{node2.Output}\nnode-3:\n{node3.Output}");
                throw;
            }
            Assert.Equal(["node-1", "node-2", "node-3"], Members(cluster).Select(m => m.GetProperty("nodeId").GetString()));
            Assert.All(Members(cluster), m => Assert.True(m.GetProperty("reachable").GetBoolean()));
            Assert.Single(Members(cluster), m => m.GetProperty("leader").GetBoolean());
            Assert.Equal(node2.Address.ToString(), Member(cluster, "node-2").GetProperty("apiAddress").GetString());
            var table = await node1.CliAsync("cluster", "show");
            Assert.True(table.ExitCode == 0, table.Output + table.Error);
            Assert.True(Regex.IsMatch(table.Output, @"node-1 \S*\(this\)\S*\s*│\s*akka\.tcp://archiver@"), table.Output);
            output.WriteLine($"{started.Elapsed.TotalSeconds:0.0} s: three members\n{table.Output}");

            // shards: every customer runs in a shard held by one of the three nodes, and each node holds some.
            var shards = await node1.CliAsync("cluster", "shards", "--json");
            Assert.True(shards.ExitCode == 0, shards.Output + shards.Error);
            var held = JsonDocument.Parse(shards.Output).RootElement.GetProperty("shards").EnumerateArray().ToArray();
            Assert.Equal(Customers, held.Sum(s => s.GetProperty("running").GetInt32()));
            Assert.Equal(["node-1", "node-2", "node-3"], held.Select(s => s.GetProperty("nodeId").GetString()).Distinct().Order(StringComparer.Ordinal));

            // leave, by node id: node-3 hands its customers over, leaves, and its process exits by itself.
            var leave = await node1.CliAsync("cluster", "leave", "node-3");
            Assert.True(leave.ExitCode == 0, leave.Output + leave.Error);
            Assert.Contains("node-3", leave.Output, StringComparison.Ordinal);
            await ExitsAsync(node3, "node-3 exits after leaving");
            Assert.True(node3.Process.ExitCode == 0, node3.Output);
            Assert.Contains("pipeline stopped", node3.Output, StringComparison.Ordinal); // it drained its customers
            Assert.DoesNotContain(await store.ListLeasesAsync(CancellationToken.None), l => l.NodeId == "node-3");
            await Eventually.TrueAsync(async () =>
            {
                cluster = await ShowAsync(node1);
                return Members(cluster).Select(m => m.GetProperty("nodeId").GetString()).SequenceEqual(["node-1", "node-2"]);
            }, "cluster show lists node-1 and node-2 only", Generous);
            var two = await node1.CliAsync("cluster", "show");
            Assert.DoesNotContain("node-3", two.Output, StringComparison.Ordinal);
            output.WriteLine($"{started.Elapsed.TotalSeconds:0.0} s: node-3 left\n{two.Output}");

            // down, by address: node-2 is removed, shuts itself down, and node-1 takes every customer.
            var address2 = Member(cluster, "node-2").GetProperty("address").GetString()!;
            var down = await node1.CliAsync("cluster", "down", address2);
            Assert.True(down.ExitCode == 0, down.Output + down.Error);
            Assert.Contains(address2, down.Output, StringComparison.Ordinal);
            await ExitsAsync(node2, "node-2 exits after it was downed");
            await Eventually.TrueAsync(async () =>
            {
                cluster = await ShowAsync(node1);
                var leases = cluster.GetProperty("leases").EnumerateArray().ToArray();
                return Members(cluster).Select(m => m.GetProperty("nodeId").GetString()).SequenceEqual(["node-1"])
                    && leases.Length == Customers && leases.All(l => l.GetProperty("nodeId").GetString() == "node-1");
            }, "node-1 alone holds every customer's lease", Generous);
            var shown = await node1.CliAsync("customers", "show", "customer-0");
            Assert.Matches(@"served by\s+node-1", shown.Output);
            output.WriteLine($"{started.Elapsed.TotalSeconds:0.0} s: node-2 downed, node-1 serves every customer");

            // What cannot be left or downed is refused in one line, and nothing happens.
            var refused = await node1.CliAsync("cluster", "down", "node-2");
            Assert.Equal(1, refused.ExitCode);
            var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("archiver: 400", line, StringComparison.Ordinal);
            Assert.Matches("'node-2' (is no node registered|.* is not a member of the cluster)", line); // gone from the table as it drained, or no member
            var malformed = await node1.CliAsync("cluster", "leave", "akka.tcp://archiver@nowhere");
            Assert.Equal(1, malformed.ExitCode);
            Assert.Contains("not an Akka address", malformed.Error, StringComparison.Ordinal);
            Assert.False(node1.Process.HasExited);
        }
        catch
        {
            output.WriteLine($"node-1:\n{node1.Output}\nnode-2:\n{node2.Output}\nnode-3:\n{node3.Output}"); // what each node did, for whoever reads the failure
            throw;
        }
    }

    [Fact]
    public async Task StatusPage_InHeadlessChromium_ShowsTheClusterMembers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a first run may install Chromium
        const string nodeId = "solo";
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri, $"archiver.node.node-id = {nodeId}"); // alone on SQLite: a cluster of one
        var url = await node.CliAsync("status", "--url");
        Assert.True(url.ExitCode == 0, url.Output + url.Error);

        await using var browser = await HeadlessChromium.StartAsync(new Uri(url.Output.Trim()), timeout.Token);
        async Task<string> MembersAsync() => (await browser.Page.EvaluateAsync(
            "[...document.querySelectorAll('#members tbody tr')].map(r => [...r.cells].map(c => c.textContent).join('|')).join('\\n')", timeout.Token)).GetString() ?? "";

        await Eventually.TrueAsync(async () => (await MembersAsync()).StartsWith(nodeId + " (this)|akka.tcp://archiver@127.0.0.1:", StringComparison.Ordinal),
            "the page lists the node as a member", TimeSpan.FromSeconds(60));
        var row = Assert.Single((await MembersAsync()).Split('\n')).Split('|');
        Assert.Equal(["up", "yes", "leader", "0"], row[2..6]);
    }

    private static async Task<JsonElement> ShowAsync(RunningNode node)
    {
        var shown = await node.CliAsync("cluster", "show", "--json");
        Assert.True(shown.ExitCode == 0, shown.Output + shown.Error);
        using var json = JsonDocument.Parse(shown.Output);
        return json.RootElement.Clone();
    }

    private static JsonElement[] Members(JsonElement cluster) => cluster.GetProperty("members").EnumerateArray().ToArray();

    private static JsonElement Member(JsonElement cluster, string nodeId) =>
        Members(cluster).Single(m => m.GetProperty("nodeId").GetString() == nodeId);

    private static async Task ExitsAsync(RunningNode node, string what)
    {
        using var timeout = new CancellationTokenSource(Generous);
        try
        {
            await node.Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting until {what}.");
        }
    }
}
