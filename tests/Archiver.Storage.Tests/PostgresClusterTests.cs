using System.Security.Cryptography;
using Archiver.Core.Cluster;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Postgres;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Npgsql;

namespace Archiver.Storage.Tests;

/// <summary>
/// Several store instances on one PostgreSQL database, each with its own connections and work signal, as several
/// nodes of a cluster would have.
/// </summary>
public sealed class PostgresClusterTests : IAsyncLifetime
{
    private static readonly CustomerId Acme = new("acme");
    private static readonly CustomerId Globex = new("globex");
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>How long a test waits for a notification that should arrive in milliseconds.</summary>
    private static readonly TimeSpan NotificationTimeout = TimeSpan.FromSeconds(10);

    private readonly AesGcmTokenProtector _tokenProtector = new(RandomNumberGenerator.GetBytes(32));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<PostgresArchiveStore> _stores = [];
    private PostgresDatabase _database = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync("cluster");

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task EnqueueThroughOneNode_WakesTheFeedOnTheOther()
    {
        var (a, _) = await NodeAsync(Acme, Globex);
        var (b, signalB) = await NodeAsync();

        await a.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);

        Assert.True(await signalB.WaitAsync(Acme, NotificationTimeout, TimeProvider.System, Ct), "node b was never woken for acme");
        Assert.False(await signalB.WaitAsync(Globex, TimeSpan.Zero, TimeProvider.System, Ct));
        Assert.Single(await b.ListItemsAsync(new ItemQuery(Acme), Ct));
    }

    [Fact]
    public async Task EnqueueOfOnlyDuplicates_WakesNoOtherNode()
    {
        var (a, _) = await NodeAsync(Acme);
        var (_, signalB) = await NodeAsync();
        await a.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);
        Assert.True(await signalB.WaitAsync(Acme, NotificationTimeout, TimeProvider.System, Ct));

        await a.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);
        await a.EnqueueAsync([NewItem(Acme, "rec-2")], Ct); // a notification after the duplicate's, as a marker

        Assert.True(await signalB.WaitAsync(Acme, NotificationTimeout, TimeProvider.System, Ct));
        Assert.False(await signalB.WaitAsync(Acme, TimeSpan.Zero, TimeProvider.System, Ct));
    }

    [Fact]
    public async Task OwnEnqueue_WakesTheLocalFeedOnce_NotAgainThroughItsOwnNotification()
    {
        var (a, signalA) = await NodeAsync(Acme, Globex);
        var (b, _) = await NodeAsync();

        await a.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);
        Assert.True(await signalA.WaitAsync(Acme, TimeSpan.Zero, TimeProvider.System, Ct), "the local pulse comes with the commit");
        await b.EnqueueAsync([NewItem(Globex, "rec-1")], Ct); // delivered to a's listener after a's own notification

        Assert.True(await signalA.WaitAsync(Globex, NotificationTimeout, TimeProvider.System, Ct));
        Assert.False(await signalA.WaitAsync(Acme, TimeSpan.Zero, TimeProvider.System, Ct), "a's own notification woke it again");
    }

    [Fact]
    public async Task ListenerConnectionKilled_ReconnectsWakesEveryCustomerAndHearsLaterEnqueues()
    {
        var (a, _) = await NodeAsync(Acme, Globex);
        var (_, signalB) = await NodeAsync();

        var killed = await KillListenersAsync();

        Assert.Equal(2, killed);
        Assert.True(await signalB.WaitAsync(Acme, NotificationTimeout, TimeProvider.System, Ct), "no pulse for acme after the reconnect");
        Assert.True(await signalB.WaitAsync(Globex, NotificationTimeout, TimeProvider.System, Ct), "no pulse for globex after the reconnect");
        await Eventually.TrueAsync(async () => await ListenerCountAsync() == 2, "both listeners are back", NotificationTimeout);
        await a.EnqueueAsync([NewItem(Globex, "fax-1")], Ct);
        Assert.True(await signalB.WaitAsync(Globex, NotificationTimeout, TimeProvider.System, Ct), "the reconnected listener missed an enqueue");
    }

    [Fact]
    public async Task TwoNodesRacingForLeases_ExactlyOneWinsEach()
    {
        var customers = Enumerable.Range(0, 20).Select(i => new CustomerId($"customer-{i}")).ToArray();
        var (a, _) = await NodeAsync(customers);
        var (b, _) = await NodeAsync();

        var races = customers.Select(async customer =>
        {
            var takes = await Task.WhenAll(
                Task.Run(() => a.AcquireLeaseAsync(customer, "node-a", LeaseDuration, liveNodes: null, Ct)),
                Task.Run(() => b.AcquireLeaseAsync(customer, "node-b", LeaseDuration, liveNodes: null, Ct)));
            return (Customer: customer, Winners: takes.Where(t => t is not null).ToList());
        });

        foreach (var race in await Task.WhenAll(races))
        {
            var winner = Assert.Single(race.Winners);
            Assert.Equal(1, winner!.FencingToken);
            Assert.Equal(winner, Assert.Single(await a.ListLeasesAsync(Ct), l => l.Customer == race.Customer));
        }
    }

    [Fact]
    public async Task RepeatedTakeoversAcrossNodes_TokenStrictlyGrows()
    {
        var (a, _) = await NodeAsync(Acme);
        var (b, _) = await NodeAsync();
        var tokens = new List<long>();

        for (var round = 0; round < 10; round++)
        {
            var takes = await Task.WhenAll(
                Task.Run(() => a.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, liveNodes: null, Ct)),
                Task.Run(() => b.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: null, Ct)));
            tokens.Add(Assert.Single(takes, t => t is not null)!.FencingToken);
            _time.Advance(LeaseDuration);
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), tokens);
    }

    [Fact]
    public async Task TwoNodesJoiningAtOnce_AtLeastOneSeesTheOther()
    {
        var (a, _) = await NodeAsync();
        var (b, _) = await NodeAsync();
        using var barrier = new Barrier(2);

        for (var round = 0; round < 20; round++)
        {
            var (nodeA, nodeB) = ($"node-a-{round}", $"node-b-{round}");
            var joins = await Task.WhenAll(
                Task.Run(() => JoinAfter(barrier, a, nodeA)),
                Task.Run(() => JoinAfter(barrier, b, nodeB)));

            // Had neither seen the other, each would start a cluster of its own.
            Assert.Contains(joins, nodes => nodes.Any(n => n.NodeId == nodeA) && nodes.Any(n => n.NodeId == nodeB));
            Assert.Contains(joins[0], n => n.NodeId == nodeA);
            Assert.Contains(joins[1], n => n.NodeId == nodeB);
        }

        static Task<IReadOnlyList<ClusterNode>> JoinAfter(Barrier barrier, PostgresArchiveStore store, string nodeId)
        {
            barrier.SignalAndWait(Ct);
            return store.JoinClusterAsync(
                new NodeHeartbeat(nodeId, "", DateTimeOffset.UnixEpoch, 0) { ClusterAddress = $"akka.tcp://archiver@{nodeId}:4053" }, Ct);
        }
    }

    [Fact]
    public async Task LeaseOfANodeNoLongerAClusterMember_IsTakenOverByAnotherNodeAtOnce_AndItsLateCheckpointIsRejected()
    {
        var (a, _) = await NodeAsync(Acme);
        var (b, _) = await NodeAsync();
        await a.EnqueueAsync(Enumerable.Range(0, 4).Select(i => NewItem(Acme, $"rec-{i}")).ToList(), Ct);
        var old = (await a.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, liveNodes: null, Ct))!;
        var claimedByA = await a.ClaimAsync(old, 0, 4, Ct); // node a is downed by the split-brain resolver; its lease still runs

        var taken = await b.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: ["node-b"], Ct);
        var late = await a.CheckpointAsync(old, claimedByA.Select(i => (ItemOutcome)new ItemOutcome.Failed(i.Id, "late")).ToList(), Ct);

        Assert.Equal(old.FencingToken + 1, taken?.FencingToken);
        Assert.Equal(new CheckpointResult(Applied: 0, Rejected: 4), late);
        Assert.Equal(claimedByA.Select(i => i.Id), (await b.ClaimAsync(taken!, 0, 4, Ct)).Select(i => i.Id));
    }

    [Fact]
    public async Task CheckpointWithStaleToken_AfterTheOtherNodeTookOver_IsRejected()
    {
        var (a, _) = await NodeAsync(Acme);
        var (b, _) = await NodeAsync();
        await a.EnqueueAsync(Enumerable.Range(0, 4).Select(i => NewItem(Acme, $"rec-{i}")).ToList(), Ct);
        var old = (await a.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, liveNodes: null, Ct))!;
        var claimedByA = await a.ClaimAsync(old, 0, 4, Ct);
        _time.Advance(LeaseDuration); // node a pauses past its lease

        var taken = (await b.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: null, Ct))!;
        var claimedByB = await b.ClaimAsync(taken, 0, 4, Ct);
        var late = await a.CheckpointAsync(old, claimedByA.Select(i => (ItemOutcome)new ItemOutcome.Failed(i.Id, "late")).ToList(), Ct);

        Assert.Equal(new CheckpointResult(Applied: 0, Rejected: 4), late);
        Assert.Empty(await a.ClaimAsync(old, 0, 4, Ct));
        Assert.Equal(claimedByA.Select(i => i.Id), claimedByB.Select(i => i.Id));
        Assert.Equal(
            new CheckpointResult(Applied: 4, Rejected: 0),
            await b.CheckpointAsync(taken, claimedByB.Select(i => (ItemOutcome)new ItemOutcome.Archived(i.Id, File(i.Id))).ToList(), Ct));
        Assert.All(await a.ListItemsAsync(new ItemQuery(Acme), Ct), i => Assert.Equal(ItemStatus.Archived, i.Status));
    }

    [Fact]
    public async Task ConcurrentClaimsFromBothNodes_NeverHandTheSameItemTwice()
    {
        var customers = Enumerable.Range(0, 4).Select(i => new CustomerId($"customer-{i}")).ToArray();
        var (a, _) = await NodeAsync(customers);
        var (b, _) = await NodeAsync();
        var leases = new List<Lease>();
        foreach (var customer in customers)
        {
            await a.EnqueueAsync(Enumerable.Range(0, 250).Select(i => NewItem(customer, $"rec-{i}")).ToList(), Ct);
            leases.Add((await a.AcquireLeaseAsync(customer, "node-a", LeaseDuration, liveNodes: null, Ct))!);
        }

        // Four claimers per customer, two through each node, all with the same lease and all starting from id 0.
        var claimers = leases.SelectMany(lease => Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? a : b;
            var mine = new List<long>();
            while ((await store.ClaimAsync(lease, 0, 7, Ct)) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed.Select(item => item.Id));
            }

            return mine;
        })));
        var claimed = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(1000, claimed.Count);
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.All(await a.GetProgressAsync(null, Ct), p => Assert.Equal(250, p.InFlight));
    }

    [Fact]
    public async Task SameItemsEnqueuedThroughBothNodesAtOnce_AreStoredOnce()
    {
        var (a, _) = await NodeAsync(Acme);
        var (b, _) = await NodeAsync();
        var forward = Enumerable.Range(0, 300).Select(i => NewItem(Acme, $"rec-{i}")).ToList();
        var backward = Enumerable.Reverse(forward).ToList();

        var results = await Task.WhenAll(
            Task.Run(() => a.EnqueueAsync(forward, Ct)),
            Task.Run(() => b.EnqueueAsync(backward, Ct)));

        var byA = results[0];
        var byB = results[1].Reverse().ToList();
        for (var i = 0; i < forward.Count; i++)
        {
            Assert.Equal(byA[i].ItemId, byB[i].ItemId);
            Assert.True(byA[i].Created ^ byB[i].Created, $"rec-{i} must be created by exactly one node");
        }

        Assert.Equal(300, (await a.ListItemsAsync(new ItemQuery(Acme, Limit: 1000), Ct)).Count);
    }

    [Fact]
    public async Task SeveralNodesMigratingAtOnce_AllSucceedAndApplyEachStepOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => Open(new WorkSignal())).ToList();

        await Task.WhenAll(stores.Select(store => Task.Run(() => store.MigrateAsync(Ct))));

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT COUNT(*) = COUNT(DISTINCT version) AND COUNT(*) > 0 FROM schema_migrations", connection);
        Assert.True((bool)(await count.ExecuteScalarAsync(Ct))!);
        await stores[0].AddCustomerAsync(NewCustomer(Acme), Ct);
        Assert.NotNull(await stores[3].GetCustomerAsync(Acme, Ct));
    }

    /// <summary>A migrated store on the shared database with a work signal of its own, holding the given customers.</summary>
    private async Task<(PostgresArchiveStore Store, WorkSignal Signal)> NodeAsync(params CustomerId[] customers)
    {
        var signal = new WorkSignal();
        var store = Open(signal);
        await store.MigrateAsync(Ct);
        foreach (var customer in customers)
        {
            await store.AddCustomerAsync(NewCustomer(customer), Ct);
        }

        return (store, signal);
    }

    private PostgresArchiveStore Open(WorkSignal signal)
    {
        var options = new PostgresStoreOptions { ConnectionString = _database.ConnectionString, ListenerReconnectBaseDelay = TimeSpan.FromMilliseconds(50) };
        var store = new PostgresArchiveStore(options, _tokenProtector, signal, _time);
        _stores.Add(store);
        return store;
    }

    /// <summary>Terminates every store's listening connection to the test database; returns how many.</summary>
    private async Task<int> KillListenersAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var kill = new NpgsqlCommand("""
            SELECT COUNT(*) FROM (
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'archiver-listener') killed
            """, connection);
        return (int)(long)(await kill.ExecuteScalarAsync(Ct))!;
    }

    private async Task<int> ListenerCountAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'archiver-listener'", connection);
        return (int)(long)(await count.ExecuteScalarAsync(Ct))!;
    }

    private static NewCustomer NewCustomer(CustomerId id) => new(id, $"{id} Ltd", new DropboxCredentials(new Secret($"access-{id}")));

    private static NewItem NewItem(CustomerId customer, string externalId) =>
        new(
            customer,
            externalId,
            ItemKind.CallRecording,
            new Uri($"https://recordings.example.com/{customer}/{externalId}.wav"),
            new ItemMetadata(new DateTimeOffset(2025, 6, 1, 11, 0, 0, TimeSpan.Zero), "+15551230001", "+15551230002"),
            Size: 4096);

    private static ArchivedFile File(long id) => new($"id:dbx{id}", $"rev{id}", $"/Archive/calls/{id}.wav", $"hash{id}", 4096);
}
