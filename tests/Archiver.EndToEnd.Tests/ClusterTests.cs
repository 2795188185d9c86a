using System.Diagnostics;
using System.Globalization;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// Real <c>archiver run</c> processes sharing one throwaway PostgreSQL and one emulator, forming an Akka cluster
/// through it: failover after SIGKILL, fencing of a node that was paused (SIGSTOP) until the cluster downed it, and a
/// graceful leave (SIGTERM) that hands every customer off without uploading anything twice.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output) : ClusterTest
{

    /// <summary>Each customer's Dropbox: far above the 2 items/s the slow pipelines here run at.</summary>
    private static readonly AccountLimits Busy = new(RatePerSecond: 100, Burst: 10);

    [Fact]
    public async Task ThreeNodes_OneKilled_ItsCustomersResumeElsewhere_AndEveryItemIsArchivedExactlyOnce()
    {
        const int customers = 30;
        const int itemsPerCustomer = 20;
        await using var database = await PostgresDatabase.CreateAsync("cluster");
        await using var store = await OpenStoreAsync(database.ConnectionString);
        var names = Enumerable.Range(0, customers).Select(i => $"customer-{i:D2}").ToArray();
        foreach (var name in names)
        {
            Emulator.AddAccount(name, $"token-{name}", Busy);
            await AddCustomerWithItemsAsync(store, name, itemsPerCustomer);
        }

        // 2 items/s per customer: each customer's 20 items take 10 s, so the kill lands mid-run.
        const string slow = "archiver.pipeline { rate-per-second = 2, burst = 1 }";
        await using var node1 = await StartNodeAsync("node-1", database.ConnectionString, slow);
        await using var node2 = await StartNodeAsync("node-2", database.ConnectionString, slow);
        await using var node3 = await StartNodeAsync("node-3", database.ConnectionString, slow);
        await AllHoldLeasesAsync(store, nodes: 3);
        await Eventually.TrueAsync(async () => await ArchivedAsync(store) >= customers * itemsPerCustomer / 5, "a fifth of the items are archived");

        var victimLeases = (await store.ListLeasesAsync(CancellationToken.None)).Where(l => l.NodeId == "node-2").ToArray();
        node2.Process.Kill(); // SIGKILL: no drain, no release, no goodbye
        var killedAt = DateTimeOffset.UtcNow;
        await node2.Process.WaitForExitAsync();

        await Eventually.TrueAsync(async () => await ArchivedAsync(store) == customers * itemsPerCustomer, "every item is archived", TimeSpan.FromSeconds(90));

        // Every item in Dropbox exactly once, with the content the store recorded.
        foreach (var name in names)
        {
            var files = Emulator.Files(name);
            Assert.Equal(itemsPerCustomer, files.Count);
            var archived = await store.ListItemsAsync(new ItemQuery(new CustomerId(name), ItemStatus.Archived, Limit: 1000), CancellationToken.None);
            Assert.Equal(
                archived.Select(i => (i.Archived!.Path.ToLowerInvariant(), i.Archived.ContentHash)).Order(),
                files.Select(f => (f.PathDisplay.ToLowerInvariant(), f.ContentHash)).Order());
        }

        Assert.Equal(0, (await store.GetProgressAsync(null, CancellationToken.None)).Sum(p => p.Failed));

        // The killed node's customers were taken over by the others once the cluster downed it, long before its leases expired.
        var resumedAfter = new List<TimeSpan>();
        var takenOverAt = new Dictionary<CustomerId, DateTimeOffset>();
        foreach (var lease in victimLeases)
        {
            ArchiveEvent? takeover = null;
            await Eventually.TrueAsync(
                async () => (takeover = (await store.ReadEventsAsync(new EventQuery(Limit: 1000, Customer: lease.Customer, Type: EventTypes.LeaseAcquired), CancellationToken.None))
                    .FirstOrDefault(e => e.At >= killedAt && !e.Details.StartsWith("node-2 ", StringComparison.Ordinal))) is not null,
                $"{lease.Customer} is taken over");
            resumedAfter.Add(takeover!.At - killedAt);
            takenOverAt[lease.Customer] = takeover.At;
        }

        output.WriteLine($"node-2 held {victimLeases.Length} customers; they resumed after {string.Join(", ", resumedAfter.Select(t => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)))} s");
        Assert.NotEmpty(victimLeases);
        Assert.All(resumedAfter, t => Assert.True(t < LeaseDuration / 2, $"resumed {t.TotalSeconds:0.0} s after the kill"));

        // No checkpoint under the dead node's fencing tokens landed after its successors took over.
        foreach (var lease in victimLeases)
        {
            Assert.Equal(0L, await CountAsync(
                database.ConnectionString,
                "SELECT count(*) FROM items WHERE customer_id = @customer AND fencing_token = @token AND status = 'archived' AND updated_at > @taken_over",
                ("customer", lease.Customer.Value), ("token", lease.FencingToken), ("taken_over", takenOverAt[lease.Customer].ToUnixTimeMilliseconds())));
        }
    }

    [Fact]
    public async Task ANodePausedUntilTheClusterDownsIt_LosesItsCustomers_AndItsLateWritesAreRefused()
    {
        const int customers = 6;
        const int itemsPerCustomer = 30;
        await using var database = await PostgresDatabase.CreateAsync("fencing");
        await using var store = await OpenStoreAsync(database.ConnectionString);
        var names = Enumerable.Range(0, customers).Select(i => $"customer-{i}").ToArray();
        await AddCustomersAsync(store, names, Busy);

        // Slow pipelines (2 items/s per customer), so the paused node has items claimed when it stops. Three nodes: the
        // two that stay are the majority that downs the paused one.
        const string slow = "archiver.pipeline { rate-per-second = 2, burst = 1 }";
        await using var nodeA = await StartNodeAsync("node-a", database.ConnectionString, slow);
        await using var nodeB = await StartNodeAsync("node-b", database.ConnectionString, slow);
        await using var nodeC = await StartNodeAsync("node-c", database.ConnectionString, slow);
        await AllHoldLeasesAsync(store, nodes: 3);
        foreach (var name in names)
        {
            await EnqueueItemsAsync(store, name, itemsPerCustomer);
        }

        await Eventually.TrueAsync(async () => await InFlightOfAsync(store, "node-a") > 0, "node-a has items in flight");
        var stale = (await store.ListLeasesAsync(CancellationToken.None)).Where(l => l.NodeId == "node-a").ToArray();
        Signal(nodeA.Process, "STOP");
        var pausedAt = DateTimeOffset.UtcNow;
        try
        {
            await Eventually.TrueAsync(
                async () => (await store.ListLeasesAsync(CancellationToken.None)).Count(l => stale.Any(s => s.Customer == l.Customer) && l.NodeId != "node-a") == stale.Length,
                "the others take every customer of the paused node", TimeSpan.FromSeconds(30));
        }
        finally
        {
            Signal(nodeA.Process, "CONT");
        }

        // Woken, node-a finds out: it was downed, its renewals and checkpoints under the old tokens are refused, and it
        // journals the loss.
        await Eventually.TrueAsync(
            async () => (await store.ReadEventsAsync(new EventQuery(Limit: 1000, Type: EventTypes.LeaseLost), CancellationToken.None))
                .Any(e => stale.Any(s => e.Customer == s.Customer && e.Details.Contains($"fencing token {s.FencingToken}", StringComparison.Ordinal))),
            "node-a journals that its leases were lost", TimeSpan.FromSeconds(30));
        try
        {
            await Eventually.TrueAsync(async () => await ArchivedAsync(store) == customers * itemsPerCustomer, "every item is archived", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"node-a:\n{nodeA.Output}\nnode-b:\n{nodeB.Output}\nnode-c:\n{nodeC.Output}"); // what each node did, for whoever reads the failure
            throw;
        }

        output.WriteLine($"node-a was paused at {pausedAt:HH:mm:ss.fff} holding {stale.Length} customers");
        foreach (var lease in stale)
        {
            Assert.Equal(0L, await CountAsync(
                database.ConnectionString,
                "SELECT count(*) FROM items WHERE customer_id = @customer AND fencing_token = @token AND status = 'archived' AND updated_at > @paused",
                ("customer", lease.Customer.Value), ("token", lease.FencingToken), ("paused", pausedAt.ToUnixTimeMilliseconds())));
        }

        foreach (var name in names)
        {
            Assert.Equal(itemsPerCustomer, Emulator.Files(name).Count); // identical content re-sent by node-a is no new file
        }
    }

    [Fact]
    public async Task ANodeLeavingGracefully_HandsItsCustomersOff_AndNoItemIsUploadedTwice()
    {
        const int customers = 12;
        const int itemsPerCustomer = 20;
        await using var database = await PostgresDatabase.CreateAsync("leave");
        await using var store = await OpenStoreAsync(database.ConnectionString);
        var names = Enumerable.Range(0, customers).Select(i => $"customer-{i:D2}").ToArray();
        await AddCustomersAsync(store, names, Busy);

        const string slow = "archiver.pipeline { rate-per-second = 2, burst = 1 }";
        await using var node1 = await StartNodeAsync("node-1", database.ConnectionString, slow);
        await using var node2 = await StartNodeAsync("node-2", database.ConnectionString, slow);
        await using var node3 = await StartNodeAsync("node-3", database.ConnectionString, slow);
        await AllHoldLeasesAsync(store, nodes: 3);
        foreach (var name in names)
        {
            await EnqueueItemsAsync(store, name, itemsPerCustomer);
        }

        await Eventually.TrueAsync(async () => await InFlightOfAsync(store, "node-3") > 0, "node-3 has items in flight");
        var leaving = (await store.ListLeasesAsync(CancellationToken.None)).Where(l => l.NodeId == "node-3").Select(l => l.Customer).ToArray();
        Signal(node3.Process, "TERM"); // a graceful stop: its shards are handed off, each customer drained first
        await node3.Process.WaitForExitAsync();
        Assert.True(node3.Process.ExitCode == 0, node3.Output);

        await Eventually.TrueAsync(
            async () => (await store.ListLeasesAsync(CancellationToken.None)).Count(l => leaving.Contains(l.Customer) && l.NodeId != "node-3") == leaving.Length,
            "the others take every customer of the node that left");
        await Eventually.TrueAsync(async () => await ArchivedAsync(store) == customers * itemsPerCustomer, "every item is archived", TimeSpan.FromSeconds(90));

        // Uploads under way finished and were checkpointed before the hand-off: nothing went to Dropbox twice.
        foreach (var name in names)
        {
            Assert.Equal(itemsPerCustomer, Emulator.Files(name).Count);
            Assert.Equal(0, Emulator.Stats(name).UnchangedUploads);
        }

        Assert.Equal(0, (await store.GetProgressAsync(null, CancellationToken.None)).Sum(p => p.Failed));
        output.WriteLine($"node-3 left holding {leaving.Length} customers; the others finished their {customers * itemsPerCustomer} items with no identical upload");
    }

    /// <summary>Waits until that many nodes serve customers (hold leases): the cluster formed and spread its shards.</summary>
    private static Task AllHoldLeasesAsync(IArchiveStore store, int nodes) =>
        Eventually.TrueAsync(
            async () => (await store.ListLeasesAsync(CancellationToken.None)).Select(l => l.NodeId).Distinct().Count() == nodes,
            $"all {nodes} nodes hold leases", TimeSpan.FromSeconds(60));

    private static async Task<long> ArchivedAsync(IArchiveStore store) =>
        (await store.GetProgressAsync(null, CancellationToken.None)).Sum(p => p.Archived);

    private static async Task<long> InFlightOfAsync(IArchiveStore store, string nodeId)
    {
        var owned = (await store.ListLeasesAsync(CancellationToken.None)).Where(l => l.NodeId == nodeId).Select(l => l.Customer).ToHashSet();
        return (await store.GetProgressAsync(null, CancellationToken.None)).Where(p => owned.Contains(p.Customer)).Sum(p => p.InFlight);
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static async Task<long> CountAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
