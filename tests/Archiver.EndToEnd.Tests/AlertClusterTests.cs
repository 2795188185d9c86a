using System.Net.Http.Headers;
using System.Text.Json;
using Archiver.Core.Alerts;
using Archiver.Core.Customers;
using Archiver.Dropbox.Emulator;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Xunit.Abstractions;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// Two real <c>archiver run</c> processes in one cluster (sharing a throwaway PostgreSQL), both configured with the same
/// webhook: only the cluster's leader delivers, so the receiver gets each alert once, from one node.
/// </summary>
public sealed class AlertClusterTests(ITestOutputHelper output) : ClusterTest
{
    private const string Secret = "whsec-cluster";
    private const string ApiToken = "alert-cluster-token";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the receiver holds each delivery before it answers 200: twenty of the nodes' journal polls. Until the
    /// answer the webhook's cursor stays before the alert, so a second node that delivered too would send it meanwhile.
    /// </summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task TwoNodesWithTheSameWebhook_OnlyTheLeaderDelivers_EachAlertOnce()
    {
        using var receiver = new WebhookReceiver { Hold = Hold };
        await using var database = await PostgresDatabase.CreateAsync("alerts");
        await using var store = await OpenStoreAsync(database.ConnectionString);
        await AddCustomersAsync(store, ["acme"], AccountLimits.Unlimited);
        var settings = $$"""
            archiver.api.token = "{{ApiToken}}"
            archiver.alerts {
              webhooks = [{ url = "{{receiver.Url}}", events = [customer.parked, customer.resumed], secret = "{{Secret}}" }]
              allowed-hosts = ["127.0.0.1"]
              poll-interval = 100ms
            }
            """;
        await using var node1 = await StartNodeAsync("node-1", database.ConnectionString, settings);
        await using var node2 = await StartNodeAsync("node-2", database.ConnectionString, settings);
        using var api1 = Api(node1);
        using var api2 = Api(node2);
        try
        {
            // One cluster of two, both agreeing which member leads; that leader has started the webhook at the journal's end.
            string? leader = null;
            await Eventually.TrueAsync(async () =>
            {
                var (one, two) = (await GetAsync(api1, "cluster"), await GetAsync(api2, "cluster"));
                leader = LeaderOf(one);
                return leader is not null && leader == LeaderOf(two);
            }, "both nodes are up in one cluster and agree on its leader", Generous);
            var follower = leader == "node-1" ? api2 : api1;
            await Eventually.TrueAsync(
                async () => await store.GetAlertCursorAsync(receiver.Url.ToString(), CancellationToken.None) is not null,
                "the webhook's cursor is at the journal's end", Generous);

            await store.SetCustomerStateAsync(new CustomerId("acme"), CustomerState.NeedsReauth, "invalid_access_token", CancellationToken.None);
            await Eventually.TrueAsync(() => receiver.Accepted.Count >= 1, "the parked alert is delivered", Generous);
            await store.SetCustomerStateAsync(new CustomerId("acme"), CustomerState.Active, "a new authorization", CancellationToken.None);
            // Alerts go in journal order and the cursor passes the parked one only once answered: a node delivering it a
            // second time would have done so by the time the resumed one is through.
            await Eventually.TrueAsync(
                () => receiver.Accepted.Any(a => Kind(a.Body) == AlertKinds.CustomerResumed), "the resumed alert is delivered", Generous);

            var received = receiver.Requests.ToArray();
            Assert.Equal([AlertKinds.CustomerParked, AlertKinds.CustomerResumed], received.Select(r => Kind(r.Body)));
            Assert.Equal(received.Length, received.Select(r => Field(r.Body, "id")).Distinct().Count()); // no alert twice
            Assert.All(received, r => Assert.Equal(leader, Field(r.Body, "node"))); // from the leader only
            Assert.All(received, r => Assert.True(
                WebhookSignature.Verify(r.Signature, Secret, r.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)), r.Signature));

            // Each node's status says the same: the leader's shows the webhook's last success; the other delivered nothing
            // (it may show the webhook's cursor, had it led alone before the other joined).
            var delivered = Assert.Single((await GetAsync(leader == "node-1" ? api1 : api2, "status")).GetProperty("alerts").EnumerateArray());
            Assert.Equal(receiver.Url.ToString(), delivered.GetProperty("webhook").GetString());
            Assert.Equal(JsonValueKind.String, delivered.GetProperty("lastSuccessAt").ValueKind);
            Assert.All(
                (await GetAsync(follower, "status")).GetProperty("alerts").EnumerateArray(),
                w => Assert.Equal(JsonValueKind.Null, w.GetProperty("lastSuccessAt").ValueKind));
        }
        catch
        {
            output.WriteLine($"received:\n{string.Join('\n', receiver.Requests.Select(r => r.Body))}");
            output.WriteLine($"node-1:\n{node1.Output}\nnode-2:\n{node2.Output}"); // what each node did, for whoever reads the failure
            throw;
        }
    }

    private static HttpClient Api(RunningNode node)
    {
        var client = new HttpClient { BaseAddress = node.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
        return client;
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, string path)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync(new Uri($"api/v1/{path}", UriKind.Relative)));
        return json.RootElement.Clone();
    }

    /// <summary>The node id of the leader of a cluster of two up members, as <c>GET /api/v1/cluster</c> shows it; null before then.</summary>
    private static string? LeaderOf(JsonElement cluster)
    {
        var members = cluster.GetProperty("members").EnumerateArray().ToArray();
        if (members.Length != 2 || members.Any(m => m.GetProperty("status").GetString() != "up"))
        {
            return null;
        }

        var leaders = members.Where(m => m.GetProperty("leader").GetBoolean()).ToArray();
        return leaders.Length == 1 ? leaders[0].GetProperty("nodeId").GetString() : null;
    }

    private static string? Kind(string body) => Field(body, "kind");

    private static string? Field(string body, string name)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty(name).GetString();
    }
}
