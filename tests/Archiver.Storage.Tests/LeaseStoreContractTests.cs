using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="ILeaseStore"/> must do: one holder per customer, a fencing token that only grows and fences out
/// a former holder's claims and writes, renewal, release, and takeover from a node no longer a cluster member.
/// </summary>
public abstract class LeaseStoreContractTests(TestStores stores) : StoreContractTests(stores)
{
    [Fact]
    public async Task AcquireLease_FirstTime_StartsAtTokenOneAndJournalsIt()
    {
        var store = await NewStoreAsync(Acme);

        var lease = await store.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, Ct);

        Assert.Equal(new Lease(Acme, "node-a", 1, Start + LeaseDuration), lease);
        var acquired = Assert.Single(await EventsAsync(store, EventTypes.LeaseAcquired));
        Assert.Equal(Acme, acquired.Customer);
    }

    [Fact]
    public async Task AcquireLease_HeldByAnotherLiveNode_ReturnsNull()
    {
        var store = await NewStoreAsync(Acme);
        await LeaseAsync(store, Acme, "node-a");
        Time.Advance(LeaseDuration - TimeSpan.FromMilliseconds(1));

        Assert.Null(await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, Ct));
    }

    [Fact]
    public async Task AcquireLease_AgainBySameNode_BumpsTheToken()
    {
        var store = await NewStoreAsync(Acme);
        var first = await LeaseAsync(store, Acme, "node-a");

        var second = await LeaseAsync(store, Acme, "node-a");

        Assert.Equal(first.FencingToken + 1, second.FencingToken);
    }

    [Fact]
    public async Task AcquireLease_BySameNodeRestartedWhileItsLeaseRuns_TakesItAtOnce_AndFencesOutTheDeadIncarnation()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 3);
        var dead = await LeaseAsync(store, Acme, "node-a");
        await store.ClaimAsync(dead, 0, 3, Ct); // then kill -9: no checkpoint, no release

        var restarted = await store.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, Ct); // no time passes

        Assert.NotNull(restarted);
        Assert.Equal(dead.FencingToken + 1, restarted.FencingToken);
        Assert.Equal(ids, (await ItemsAsync(store, Acme, ItemStatus.Pending)).Select(i => i.Item.Id));
        Assert.Equal(new CheckpointResult(0, 1), await store.CheckpointAsync(dead, [new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0]))], Ct));
        Assert.Empty(await store.RenewLeasesAsync([dead], LeaseDuration, Ct));
        Assert.Equal(ids, (await store.ClaimAsync(restarted, 0, 10, Ct)).Select(i => i.Id));
    }

    [Fact]
    public async Task AcquireLease_AfterExpiry_BumpsTokenAndReturnsOldClaimsToPending()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 3);
        var old = await LeaseAsync(store, Acme, "node-a");
        await store.ClaimAsync(old, 0, 3, Ct);
        Time.Advance(LeaseDuration);

        var taken = await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, Ct);

        Assert.NotNull(taken);
        Assert.Equal(old.FencingToken + 1, taken.FencingToken);
        Assert.Equal("node-b", taken.NodeId);
        var pending = await ItemsAsync(store, Acme, ItemStatus.Pending);
        Assert.Equal(ids, pending.Select(i => i.Item.Id));
        Assert.All(pending, i => Assert.Equal(Start + LeaseDuration, i.NextAttemptAt));
        Assert.Equal(ids, (await store.ClaimAsync(taken, 0, 10, Ct)).Select(i => i.Id));
        Assert.Equal(new CheckpointResult(0, 1), await store.CheckpointAsync(old, [new ItemOutcome.Failed(ids[0], "late")], Ct));
    }

    [Fact]
    public async Task AcquireLease_HeldUnexpiredByANodeNoLongerAClusterMember_IsTakenOverAtOnce_AndFencesItOut()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 3);
        var removed = await LeaseAsync(store, Acme, "node-a");
        await store.ClaimAsync(removed, 0, 3, Ct); // then the split-brain resolver downs node-a; no time passes

        var taken = await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: ["node-b", "node-c"], Ct);

        Assert.Equal(new Lease(Acme, "node-b", removed.FencingToken + 1, Start + LeaseDuration), taken);
        Assert.Equal(ids, (await ItemsAsync(store, Acme, ItemStatus.Pending)).Select(i => i.Item.Id));
        Assert.Equal(new CheckpointResult(0, 1), await store.CheckpointAsync(removed, [new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0]))], Ct));
        Assert.Empty(await store.RenewLeasesAsync([removed], LeaseDuration, Ct));
        Assert.Equal(ids, (await store.ClaimAsync(taken!, 0, 10, Ct)).Select(i => i.Id));
        Assert.Equal(
            "node-b took the lease with fencing token 2; 3 item(s) returned to pending. (taken over from node-a, no longer a cluster member)",
            (await EventsAsync(store, EventTypes.LeaseAcquired))[^1].Details);
    }

    [Fact]
    public async Task AcquireLease_HeldUnexpiredByAClusterMember_ReturnsNull()
    {
        var store = await NewStoreAsync(Acme);
        var held = await LeaseAsync(store, Acme, "node-a");

        Assert.Null(await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: ["node-a", "node-b"], Ct));
        Assert.Single(await store.RenewLeasesAsync([held], LeaseDuration, Ct));
    }

    [Fact]
    public async Task AcquireLease_WithoutLiveNodes_LeavesAnUnexpiredLeaseAlone_WhoeverHoldsIt()
    {
        var store = await NewStoreAsync(Acme);
        var held = await LeaseAsync(store, Acme, "node-gone");

        Assert.Null(await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: null, Ct));
        Assert.Single(await store.RenewLeasesAsync([held], LeaseDuration, Ct));
    }

    [Fact]
    public async Task AcquireLease_WithLiveNodes_AfterExpiryOrRelease_TakesItAsBefore_JournalingNoTakeover()
    {
        var store = await NewStoreAsync(Acme, Globex);
        await LeaseAsync(store, Acme, "node-a");
        await store.ReleaseLeaseAsync(await LeaseAsync(store, Globex, "node-a"), Ct);
        Time.Advance(LeaseDuration);

        var acme = await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, liveNodes: ["node-b"], Ct);
        var globex = await store.AcquireLeaseAsync(Globex, "node-b", LeaseDuration, liveNodes: ["node-b"], Ct);

        Assert.Equal(2, acme?.FencingToken);
        Assert.Equal(2, globex?.FencingToken);
        Assert.All(
            await EventsAsync(store, EventTypes.LeaseAcquired),
            e => Assert.DoesNotContain("taken over", e.Details, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AcquireLease_WithLiveNodes_BySameNodeWhileItsLeaseRuns_TakesItWithoutJournalingATakeover()
    {
        var store = await NewStoreAsync(Acme);
        var first = await LeaseAsync(store, Acme, "node-a");

        var again = await store.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, liveNodes: ["node-a"], Ct);

        Assert.Equal(first.FencingToken + 1, again?.FencingToken);
        Assert.DoesNotContain("taken over", (await EventsAsync(store, EventTypes.LeaseAcquired))[^1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireLease_AfterRelease_IsAvailableToAnotherNodeAtOnce()
    {
        var store = await NewStoreAsync(Acme);
        var first = await LeaseAsync(store, Acme, "node-a");

        await store.ReleaseLeaseAsync(first, Ct);
        var second = await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, Ct);

        Assert.NotNull(second);
        Assert.Equal(first.FencingToken + 1, second.FencingToken);
    }

    [Fact]
    public async Task AcquireLease_UnknownCustomer_Throws()
    {
        var store = await NewStoreAsync(Acme);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AcquireLeaseAsync(Globex, "node-a", LeaseDuration, Ct));
    }

    [Fact]
    public async Task FencingToken_NeverGoesDown()
    {
        var store = await NewStoreAsync(Acme);
        var tokens = new List<long>();

        for (var i = 0; i < 4; i++)
        {
            var lease = await LeaseAsync(store, Acme, i % 2 == 0 ? "node-a" : "node-b");
            tokens.Add(lease.FencingToken);
            await store.ReleaseLeaseAsync(lease, Ct);
        }

        Assert.Equal([1, 2, 3, 4], tokens);
    }

    [Fact]
    public async Task RenewLeases_WhileHeld_ExtendsTheLease_AndKeepsOtherNodesOut()
    {
        var store = await NewStoreAsync(Acme);
        var lease = await LeaseAsync(store, Acme, "node-a");
        Time.Advance(LeaseDuration / 2);

        var renewed = Assert.Single(await store.RenewLeasesAsync([lease], LeaseDuration, Ct));
        Assert.Equal(lease.ExpiresAt + (LeaseDuration / 2), renewed.ExpiresAt);
        Time.Advance(LeaseDuration - TimeSpan.FromSeconds(1));

        Assert.Null(await store.AcquireLeaseAsync(Acme, "node-b", LeaseDuration, Ct));
    }

    [Fact]
    public async Task RenewLeases_AfterAnotherNodeTookIt_LeavesItOut()
    {
        var store = await NewStoreAsync(Acme);
        var lease = await LeaseAsync(store, Acme, "node-a");
        Time.Advance(LeaseDuration);
        await LeaseAsync(store, Acme, "node-b");

        Assert.Empty(await store.RenewLeasesAsync([lease], LeaseDuration, Ct));
    }

    [Fact]
    public async Task RenewLeases_AfterRelease_LeavesItOut()
    {
        var store = await NewStoreAsync(Acme);
        var lease = await LeaseAsync(store, Acme, "node-a");
        await store.ReleaseLeaseAsync(lease, Ct);

        Assert.Empty(await store.RenewLeasesAsync([lease], LeaseDuration, Ct));
    }

    [Fact]
    public async Task ReleaseLease_WithStaleLease_LeavesTheCurrentHolderAlone()
    {
        var store = await NewStoreAsync(Acme);
        var stale = await LeaseAsync(store, Acme, "node-a");
        Time.Advance(LeaseDuration);
        var current = await LeaseAsync(store, Acme, "node-b");

        await store.ReleaseLeaseAsync(stale, Ct);

        Assert.Null(await store.AcquireLeaseAsync(Acme, "node-a", LeaseDuration, Ct));
        Assert.Single(await store.RenewLeasesAsync([current], LeaseDuration, Ct));
    }

    [Fact]
    public async Task RenewLeases_ManyAtOnce_RenewsTheHeldOnes_AndLeavesOutTheLostOnes()
    {
        var store = await NewStoreAsync(Acme, Globex);
        var acme = await LeaseAsync(store, Acme, "node-a");
        var globex = await LeaseAsync(store, Globex, "node-a");
        await store.ReleaseLeaseAsync(globex, Ct);

        var renewed = await store.RenewLeasesAsync([acme, globex], LeaseDuration, Ct);

        Assert.Equal([Acme], renewed.Select(l => l.Customer));
    }

    [Fact]
    public async Task RenewLeases_ReturnsTheSameLeaseWithALaterExpiry()
    {
        var store = await NewStoreAsync(Acme);
        var lease = await LeaseAsync(store, Acme, "node-a");
        Time.Advance(TimeSpan.FromSeconds(10));

        var renewed = Assert.Single(await store.RenewLeasesAsync([lease], LeaseDuration, Ct));

        Assert.Equal(lease with { ExpiresAt = Start.AddSeconds(10) + LeaseDuration }, renewed);
        Assert.Equal([renewed], await store.ListLeasesAsync(Ct));
    }

    [Fact]
    public async Task ListLeases_ReturnsOnlyHeldUnexpiredLeasesByCustomer()
    {
        var initech = new CustomerId("initech");
        var store = await NewStoreAsync(initech, Globex, Acme);
        var expiring = await store.AcquireLeaseAsync(initech, "node-c", TimeSpan.FromSeconds(5), Ct);
        await store.ReleaseLeaseAsync(await LeaseAsync(store, Globex, "node-b"), Ct);
        var globex = await LeaseAsync(store, Globex, "node-a");
        var acme = await LeaseAsync(store, Acme, "node-b");

        var beforeExpiry = await store.ListLeasesAsync(Ct);
        Time.Advance(TimeSpan.FromSeconds(5));
        var afterExpiry = await store.ListLeasesAsync(Ct);

        Assert.Equal([acme, globex, expiring!], beforeExpiry);
        Assert.Equal([acme, globex], afterExpiry);
    }

    [Fact]
    public async Task ListLeases_AfterRelease_IsEmpty()
    {
        var store = await NewStoreAsync(Acme);
        await store.ReleaseLeaseAsync(await LeaseAsync(store, Acme), Ct);

        Assert.Empty(await store.ListLeasesAsync(Ct));
    }
}

/// <summary>The lease store contract against SQLite.</summary>
public sealed class SqliteLeaseStoreTests() : LeaseStoreContractTests(new SqliteTestStores());

/// <summary>The lease store contract against PostgreSQL.</summary>
public sealed class PostgresLeaseStoreTests() : LeaseStoreContractTests(new PostgresTestStores());
