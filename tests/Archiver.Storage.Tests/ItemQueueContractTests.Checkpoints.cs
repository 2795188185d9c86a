using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

public abstract partial class ItemQueueContractTests
{
    [Fact]
    public async Task Checkpoint_Archived_StoresTheDropboxFileAndClearsTheError()
    {
        var store = await NewStoreAsync(Acme);
        var id = (await EnqueueAsync(store, Acme, 1))[0];
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(id, Start, "timeout", CountsAsAttempt: true)], Ct);
        await store.ClaimAsync(lease, 0, 1, Ct);
        Time.Advance(TimeSpan.FromSeconds(2));

        var result = await store.CheckpointAsync(lease, [new ItemOutcome.Archived(id, ArchivedFile(id))], Ct);

        Assert.Equal(new CheckpointResult(Applied: 1, Rejected: 0), result);
        var item = await ItemAsync(store, Acme, id);
        Assert.Equal(ItemStatus.Archived, item.Status);
        Assert.Equal(ArchivedFile(id), item.Archived);
        Assert.Null(item.LastError);
        Assert.Equal(Start.AddSeconds(2), item.UpdatedAt);
    }

    [Fact]
    public async Task Checkpoint_Retry_MakesTheItemPendingNotBeforeTheGivenTime()
    {
        var store = await NewStoreAsync(Acme);
        var id = (await EnqueueAsync(store, Acme, 1))[0];
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);

        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(id, Start.AddMinutes(2), "HTTP 503", CountsAsAttempt: true)], Ct);

        var item = await ItemAsync(store, Acme, id);
        Assert.Equal(ItemStatus.Pending, item.Status);
        Assert.Equal(Start.AddMinutes(2), item.NextAttemptAt);
        Assert.Equal("HTTP 503", item.LastError);
    }

    [Fact]
    public async Task Checkpoint_Retry_CountsAttemptOnlyWhenAsked()
    {
        var store = await NewStoreAsync(Acme);
        var id = (await EnqueueAsync(store, Acme, 1))[0];
        var lease = await LeaseAsync(store, Acme);

        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(id, Start, "timeout", CountsAsAttempt: true)], Ct);
        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(id, Start, "rate limited", CountsAsAttempt: false)], Ct);
        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(id, Start, "timeout", CountsAsAttempt: true)], Ct);

        Assert.Equal(2, (await ItemAsync(store, Acme, id)).Item.Attempts);
    }

    [Fact]
    public async Task Checkpoint_Failed_ParksTheItemWithItsReason()
    {
        var store = await NewStoreAsync(Acme);
        var id = (await EnqueueAsync(store, Acme, 1))[0];
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);

        await store.CheckpointAsync(lease, [new ItemOutcome.Failed(id, "source returned 404")], Ct);

        var item = await ItemAsync(store, Acme, id);
        Assert.Equal(ItemStatus.Failed, item.Status);
        Assert.Equal("source returned 404", item.LastError);
        Assert.Empty(await store.ClaimAsync(lease, 0, 1, Ct));
    }

    [Fact]
    public async Task Checkpoint_Failed_AppendsItemFailedEvent()
    {
        var store = await NewStoreAsync(Acme);
        var id = (await EnqueueAsync(store, Acme, 1))[0];
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);

        await store.CheckpointAsync(lease, [new ItemOutcome.Failed(id, "source returned 404")], Ct);

        var failed = Assert.Single(await EventsAsync(store, EventTypes.ItemFailed));
        Assert.Equal(Acme, failed.Customer);
        Assert.Equal(id, failed.ItemId);
        Assert.Equal("source returned 404", failed.Details);
    }

    [Fact]
    public async Task Checkpoint_WithStaleFencingToken_IsRejected()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 2);
        var stale = await LeaseAsync(store, Acme);
        await store.ClaimAsync(stale, 0, 2, Ct);
        await LeaseAsync(store, Acme);

        var result = await store.CheckpointAsync(
            stale,
            [new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0])), new ItemOutcome.Failed(ids[1], "late")],
            Ct);

        Assert.Equal(new CheckpointResult(Applied: 0, Rejected: 2), result);
        Assert.All(await ItemsAsync(store, Acme), i => Assert.Equal(ItemStatus.Pending, i.Status));
        Assert.Empty(await EventsAsync(store, EventTypes.ItemFailed));
    }

    [Fact]
    public async Task CheckpointOfSeveralLeases_AppliesEachUnderItsOwnToken_AndAStaleLeaseRejectsOnlyItsOwnOutcomes()
    {
        var store = await NewStoreAsync(Acme, Globex);
        var acmeIds = await EnqueueAsync(store, Acme, 2);
        var globexIds = await EnqueueAsync(store, Globex, 3);
        var staleAcme = await LeaseAsync(store, Acme);
        await store.ClaimAsync(staleAcme, 0, 2, Ct);
        await LeaseAsync(store, Acme);
        var globex = await LeaseAsync(store, Globex);
        await store.ClaimAsync(globex, 0, 3, Ct);

        var results = await store.CheckpointAsync(
            [
                new LeaseOutcomes(globex, [new ItemOutcome.Archived(globexIds[0], ArchivedFile(globexIds[0])), new ItemOutcome.Failed(globexIds[1], "source returned 404")]),
                new LeaseOutcomes(staleAcme, [new ItemOutcome.Archived(acmeIds[0], ArchivedFile(acmeIds[0])), new ItemOutcome.Failed(acmeIds[1], "late")]),
                new LeaseOutcomes(globex, []),
                new LeaseOutcomes(globex, [new ItemOutcome.Retry(globexIds[2], Start.AddMinutes(1), "HTTP 503", CountsAsAttempt: true)]),
            ],
            Ct);

        Assert.Equal(
            [new CheckpointResult(Applied: 2, Rejected: 0), new CheckpointResult(Applied: 0, Rejected: 2), new CheckpointResult(0, 0), new CheckpointResult(Applied: 1, Rejected: 0)],
            results);
        Assert.Equal(ItemStatus.Archived, (await ItemAsync(store, Globex, globexIds[0])).Status);
        Assert.Equal(ItemStatus.Failed, (await ItemAsync(store, Globex, globexIds[1])).Status);
        Assert.Equal(ItemStatus.Pending, (await ItemAsync(store, Globex, globexIds[2])).Status);
        Assert.All(await ItemsAsync(store, Acme), i => Assert.Equal(ItemStatus.Pending, i.Status));
        var failed = Assert.Single(await EventsAsync(store, EventTypes.ItemFailed));
        Assert.Equal((Globex, globexIds[1]), (failed.Customer, failed.ItemId));
    }

    [Fact]
    public async Task Checkpoint_ItemNotInFlight_IsRejectedWhileTheOthersApply()
    {
        var store = await NewStoreAsync(Acme, Globex);
        var ids = await EnqueueAsync(store, Acme, 3);
        var globexId = (await EnqueueAsync(store, Globex, 1))[0];
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 2, Ct);

        var result = await store.CheckpointAsync(
            lease,
            [
                new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0])),
                new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0])),
                new ItemOutcome.Archived(ids[2], ArchivedFile(ids[2])),
                new ItemOutcome.Archived(globexId, ArchivedFile(globexId)),
                new ItemOutcome.Archived(999_999, ArchivedFile(999_999)),
            ],
            Ct);

        Assert.Equal(new CheckpointResult(Applied: 1, Rejected: 4), result);
        Assert.Equal(ItemStatus.Pending, (await ItemAsync(store, Acme, ids[2])).Status);
        Assert.Equal(ItemStatus.Pending, (await ItemAsync(store, Globex, globexId)).Status);
    }

    [Fact]
    public async Task Checkpoint_ManyOutcomes_AppliesThemAll()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 500);
        var lease = await LeaseAsync(store, Acme);
        var claimed = await store.ClaimAsync(lease, 0, 500, Ct);

        var result = await store.CheckpointAsync(
            lease,
            claimed.Select(i => (ItemOutcome)new ItemOutcome.Archived(i.Id, ArchivedFile(i.Id))).ToList(),
            Ct);

        Assert.Equal(new CheckpointResult(500, 0), result);
        Assert.Equal(500, (await store.GetProgressAsync(Acme, Ct))[0].Archived);
    }

    [Fact]
    public async Task ReleaseClaims_ReturnsInFlightItemsToPending()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 3);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 3, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0]))], Ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        var released = await store.ReleaseClaimsAsync(lease, Ct);

        Assert.Equal(2, released);
        var pending = await ItemsAsync(store, Acme, ItemStatus.Pending);
        Assert.Equal(ids[1..], pending.Select(i => i.Item.Id));
        Assert.All(pending, i => Assert.Equal(Start.AddMinutes(1), i.NextAttemptAt));
        Assert.Equal(ids[1..], (await store.ClaimAsync(lease, 0, 10, Ct)).Select(i => i.Id));
    }

    [Fact]
    public async Task RetryFailed_WakesTheCustomersFeed_OnlyWhenItRetriedSomething()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 1);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Failed(ids[0], "corrupt")], Ct);
        await Signal.WaitAsync(Acme, TimeSpan.Zero, Time, Ct); // the enqueue's pulse

        Assert.Equal(1, await store.RetryFailedAsync(Acme, Ct));
        Assert.True(await Signal.WaitAsync(Acme, TimeSpan.Zero, Time, Ct));

        Assert.Equal(0, await store.RetryFailedAsync(Acme, Ct));
        Assert.False(await Signal.WaitAsync(Acme, TimeSpan.Zero, Time, Ct));
    }

    [Fact]
    public async Task RetryFailed_MakesFailedItemsDueAgain()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 3);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 3, Ct);
        await store.CheckpointAsync(
            lease,
            [
                new ItemOutcome.Failed(ids[0], "corrupt"),
                new ItemOutcome.Failed(ids[1], "corrupt"),
                new ItemOutcome.Archived(ids[2], ArchivedFile(ids[2])),
            ],
            Ct);
        Time.Advance(TimeSpan.FromHours(1));

        var retried = await store.RetryFailedAsync(Acme, Ct);

        Assert.Equal(2, retried);
        var pending = await ItemsAsync(store, Acme, ItemStatus.Pending);
        Assert.Equal(ids[..2], pending.Select(i => i.Item.Id));
        Assert.All(pending, i =>
        {
            Assert.Equal(Start.AddHours(1), i.NextAttemptAt);
            Assert.Equal(0, i.Item.Attempts);
            Assert.Null(i.LastError);
        });
    }
}
