using System.Security.Cryptography;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Supervision;

public sealed class LeaseKeeperTests : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private static readonly CustomerId Acme = new("acme");
    private static readonly CustomerId Globex = new("globex");
    private static readonly CustomerId Initech = new("initech");
    private readonly ManualTimeProvider _time = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("archiver-leases-").FullName;
    private SqliteArchiveStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "archiver.db") },
            new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)),
            new WorkSignal(),
            _time);
        await _store.MigrateAsync(CancellationToken.None);
        foreach (var customer in new[] { Acme, Globex, Initech })
        {
            await _store.AddCustomerAsync(new NewCustomer(customer, customer.Value, new DropboxCredentials(new Secret("t"))), CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AHeldLease_IsRenewed_SoAnotherNodeCannotTakeIt()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance);
        var lease = (await _store.AcquireLeaseAsync(Acme, "node-a", Duration, liveNodes: null, CancellationToken.None))!;
        using var hold = keeper.Hold(lease, () => Assert.Fail("the lease is not lost"));

        _time.Advance(Duration * 0.9);
        await keeper.RenewAllAsync(CancellationToken.None);
        _time.Advance(Duration * 0.9);

        Assert.Null(await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None));
    }

    [Fact]
    public async Task ALeaseTakenOver_IsReportedLostOnce_AndNoLongerKept()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance);
        var lease = (await _store.AcquireLeaseAsync(Acme, "node-a", Duration, liveNodes: null, CancellationToken.None))!;
        var lost = 0;
        using var hold = keeper.Hold(lease, () => lost++);
        _time.Advance(Duration + TimeSpan.FromSeconds(1)); // node-a stalled past its lease
        Assert.NotNull(await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None));

        await keeper.RenewAllAsync(CancellationToken.None);
        await keeper.RenewAllAsync(CancellationToken.None);

        Assert.Equal(1, lost);
        Assert.Equal(0, keeper.Count);
    }

    [Fact]
    public async Task AReleasedHold_IsNotRenewed()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance);
        var lease = (await _store.AcquireLeaseAsync(Acme, "node-a", Duration, liveNodes: null, CancellationToken.None))!;
        keeper.Hold(lease, () => Assert.Fail("a released hold is never reported")).Dispose();

        _time.Advance(Duration * 0.9);
        await keeper.RenewAllAsync(CancellationToken.None);
        _time.Advance(Duration * 0.2);

        Assert.NotNull(await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None));
    }

    [Fact]
    public async Task AGroup_TakesTheLeasesOfAllItsCustomers_WhichTheirActorsTakeUpWithoutATokenOfTheirOwn()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance, groupOf: _ => "7");

        Assert.True(await keeper.AcquireGroupAsync("7", [Acme, Globex], "node-a", _ => Assert.Fail("nothing is lost"), CancellationToken.None));

        Assert.True(keeper.HoldsGroup("7"));
        var held = await _store.ListLeasesAsync(CancellationToken.None);
        Assert.Equal([Acme, Globex], held.Where(l => l.NodeId == "node-a").Select(l => l.Customer));
        var taken = await keeper.AcquireAsync(Acme, "node-a", CancellationToken.None);
        Assert.Equal(held.Single(l => l.Customer == Acme), taken);
        Assert.Equal(held, await _store.ListLeasesAsync(CancellationToken.None)); // no store call: the same token
    }

    [Fact]
    public async Task AGroup_IsNotHeldWhileAnotherNodeHoldsOneOfItsCustomers_AndAskingAgainTakesOnlyTheRest()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance, groupOf: _ => "7");
        var other = (await _store.AcquireLeaseAsync(Globex, "node-b", Duration, liveNodes: null, CancellationToken.None))!;

        Assert.False(await keeper.AcquireGroupAsync("7", [Acme, Globex], "node-a", _ => { }, CancellationToken.None));
        Assert.False(keeper.HoldsGroup("7"));
        var acmeLease = (await _store.ListLeasesAsync(CancellationToken.None)).Single(l => l.Customer == Acme);
        Assert.Equal("node-a", acmeLease.NodeId); // kept, for the next try

        await _store.ReleaseLeaseAsync(other, CancellationToken.None); // node-b handed Globex off
        Assert.True(await keeper.AcquireGroupAsync("7", [Acme, Globex], "node-a", _ => { }, CancellationToken.None));

        var held = await _store.ListLeasesAsync(CancellationToken.None);
        Assert.Equal(acmeLease.FencingToken, held.Single(l => l.Customer == Acme).FencingToken); // not taken twice
        Assert.Equal("node-a", held.Single(l => l.Customer == Globex).NodeId);
    }

    [Fact]
    public async Task ALeaseOfAGroupTakenOver_EndsTheGroupOnce_TellsItsCustomer_AndIsJournaled()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance, groupOf: customer => customer == Initech ? "8" : "7");
        var groupsLost = new List<Exception>();
        Assert.True(await keeper.AcquireGroupAsync("7", [Acme, Globex], "node-a", groupsLost.Add, CancellationToken.None));
        Assert.True(await keeper.AcquireGroupAsync("8", [Initech], "node-a", groupsLost.Add, CancellationToken.None));
        var acme = (await keeper.AcquireAsync(Acme, "node-a", CancellationToken.None))!;
        var customerLost = 0;
        using var hold = keeper.Hold(acme, () => customerLost++);

        _time.Advance(Duration + TimeSpan.FromSeconds(1)); // node-a stalled past its leases
        await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None);
        await _store.AcquireLeaseAsync(Globex, "node-b", Duration, liveNodes: null, CancellationToken.None);
        await keeper.RenewAllAsync(CancellationToken.None);
        await keeper.RenewAllAsync(CancellationToken.None);

        var lost = Assert.IsType<LeaseLostException>(Assert.Single(groupsLost));
        Assert.Equal(1, customerLost);
        Assert.False(keeper.HoldsGroup("7"));
        Assert.True(keeper.HoldsGroup("8")); // Initech's lease, expired but not taken, was renewed
        var journaled = await _store.ReadEventsAsync(new EventQuery(Limit: 10, Type: EventTypes.LeaseLost), CancellationToken.None);
        Assert.Equal(["acme", "globex"], journaled.Select(e => e.Customer?.Value).Order());
        Assert.Contains(journaled, e => e.Details == lost.Message);
        Assert.Contains(journaled, e => e.Details.Contains($"fencing token {acme.FencingToken}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleasingAGroup_GivesBackTheLeasesNoCustomerTookUp_AndLeavesTheOthersToTheirCustomers()
    {
        var keeper = new LeaseKeeper(_store, _store, Duration, NullLogger.Instance, groupOf: _ => "7");
        Assert.True(await keeper.AcquireGroupAsync("7", [Acme, Globex], "node-a", _ => Assert.Fail("nothing is lost"), CancellationToken.None));
        var acme = (await keeper.AcquireAsync(Acme, "node-a", CancellationToken.None))!;
        using var hold = keeper.Hold(acme, () => Assert.Fail("Acme's lease is not lost"));

        await keeper.ReleaseGroupAsync("7", CancellationToken.None);

        Assert.False(keeper.HoldsGroup("7"));
        Assert.Equal([Acme], (await _store.ListLeasesAsync(CancellationToken.None)).Select(l => l.Customer));
        Assert.Equal(1, keeper.Count);
    }
}
