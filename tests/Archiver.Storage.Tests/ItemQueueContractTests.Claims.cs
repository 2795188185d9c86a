using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

public abstract partial class ItemQueueContractTests
{
    [Fact]
    public async Task Claim_ReturnsDueItemsInIdOrder_MarkedInFlight()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 5);
        var lease = await LeaseAsync(store, Acme);

        var claimed = await store.ClaimAsync(lease, afterId: 0, max: 10, Ct);

        Assert.Equal(ids, claimed.Select(i => i.Id));
        Assert.All(await ItemsAsync(store, Acme), i => Assert.Equal(ItemStatus.InFlight, i.Status));
    }

    [Fact]
    public async Task Claim_NeverReturnsMoreThanMax()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 10);
        var lease = await LeaseAsync(store, Acme);

        var claimed = await store.ClaimAsync(lease, afterId: 0, max: 3, Ct);

        Assert.Equal(ids[..3], claimed.Select(i => i.Id));
        Assert.Equal(7, (await ItemsAsync(store, Acme, ItemStatus.Pending)).Count);
    }

    [Fact]
    public async Task Claim_StartsAfterTheGivenId()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 5);
        var lease = await LeaseAsync(store, Acme);

        var claimed = await store.ClaimAsync(lease, afterId: ids[2], max: 10, Ct);

        Assert.Equal(ids[3..], claimed.Select(i => i.Id));
    }

    [Fact]
    public async Task Claim_SkipsItemsNotYetDue()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 2);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(ids[0], Start.AddMinutes(5), "busy", CountsAsAttempt: true)], Ct);

        var claimedNow = await store.ClaimAsync(lease, 0, 10, Ct);
        Time.Advance(TimeSpan.FromMinutes(5));
        var claimedLater = await store.ClaimAsync(lease, 0, 10, Ct);

        Assert.Equal([ids[1]], claimedNow.Select(i => i.Id));
        Assert.Equal([ids[0]], claimedLater.Select(i => i.Id));
    }

    [Fact]
    public async Task Claim_DoesNotReturnItemsAlreadyInFlight()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 3);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 10, Ct);

        Assert.Empty(await store.ClaimAsync(lease, 0, 10, Ct));
    }

    [Fact]
    public async Task Claim_OnlyReturnsTheLeasedCustomersItems()
    {
        var store = await NewStoreAsync(Acme, Globex);
        var acmeIds = await EnqueueAsync(store, Acme, 2);
        await EnqueueAsync(store, Globex, 2);
        var lease = await LeaseAsync(store, Acme);

        var claimed = await store.ClaimAsync(lease, 0, 10, Ct);

        Assert.Equal(acmeIds, claimed.Select(i => i.Id));
        Assert.All(claimed, i => Assert.Equal(Acme, i.Customer));
    }

    [Fact]
    public async Task Claim_WithStaleFencingToken_ClaimsNothing()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 3);
        var stale = await LeaseAsync(store, Acme);
        await LeaseAsync(store, Acme);

        Assert.Empty(await store.ClaimAsync(stale, 0, 10, Ct));
        Assert.Equal(3, (await ItemsAsync(store, Acme, ItemStatus.Pending)).Count);
    }

    [Fact]
    public async Task Claim_ReportsAttemptsSoFar()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 1);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);
        await store.CheckpointAsync(lease, [new ItemOutcome.Retry(ids[0], Start, "timeout", CountsAsAttempt: true)], Ct);

        var claimed = Assert.Single(await store.ClaimAsync(lease, 0, 1, Ct));

        Assert.Equal(1, claimed.Attempts);
    }

    [Fact]
    public async Task NextDueAt_IsTheEarliestPendingItemsDueTime()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 2);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 2, Ct);
        await store.CheckpointAsync(
            lease,
            [
                new ItemOutcome.Retry(ids[0], Start.AddMinutes(10), "later", CountsAsAttempt: false),
                new ItemOutcome.Retry(ids[1], Start.AddMinutes(3), "sooner", CountsAsAttempt: false),
            ],
            Ct);

        Assert.Equal(Start.AddMinutes(3), await store.NextDueAtAsync(Acme, Ct));
    }

    [Fact]
    public async Task NextDueAt_WithNoPendingItems_IsNull()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 1);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 1, Ct);

        Assert.Null(await store.NextDueAtAsync(Acme, Ct));
        Assert.Null(await store.NextDueAtAsync(Globex, Ct));
    }

    [Fact]
    public async Task ListItems_PagesByIdAndFiltersByStatus()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 6);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 2, Ct);

        var firstPage = await store.ListItemsAsync(new ItemQuery(Acme, ItemStatus.Pending, Limit: 3), Ct);
        var secondPage = await store.ListItemsAsync(new ItemQuery(Acme, ItemStatus.Pending, firstPage[^1].Item.Id, Limit: 3), Ct);
        var inFlight = await store.ListItemsAsync(new ItemQuery(Acme, ItemStatus.InFlight), Ct);

        Assert.Equal(ids[2..5], firstPage.Select(i => i.Item.Id));
        Assert.Equal(ids[5..], secondPage.Select(i => i.Item.Id));
        Assert.Equal(ids[..2], inFlight.Select(i => i.Item.Id));
    }

    [Fact]
    public async Task Progress_CountsEveryStatus()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 10);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 6, Ct);
        await store.CheckpointAsync(
            lease,
            [
                new ItemOutcome.Archived(ids[0], ArchivedFile(ids[0])),
                new ItemOutcome.Archived(ids[1], ArchivedFile(ids[1])),
                new ItemOutcome.Archived(ids[2], ArchivedFile(ids[2])),
                new ItemOutcome.Failed(ids[3], "corrupt"),
                new ItemOutcome.Retry(ids[4], Start.AddMinutes(1), "busy", CountsAsAttempt: true),
            ],
            Ct);

        var progress = Assert.Single(await store.GetProgressAsync(Acme, Ct));

        Assert.Equal(new CustomerProgress(Acme, Pending: 5, InFlight: 1, Archived: 3, Failed: 1), progress);
        Assert.Equal(10, progress.Total);
        Assert.Equal(6, progress.Backlog);
    }

    [Fact]
    public async Task Progress_ForAllCustomers_IncludesCustomersWithoutItems()
    {
        var store = await NewStoreAsync(Acme, Globex);
        await EnqueueAsync(store, Acme, 2);

        var progress = await store.GetProgressAsync(null, Ct);

        Assert.Equal(
            [new CustomerProgress(Acme, 2, 0, 0, 0), new CustomerProgress(Globex, 0, 0, 0, 0)],
            progress);
    }

    [Fact]
    public async Task Progress_ForUnknownCustomer_IsEmpty()
    {
        var store = await NewStoreAsync(Acme);

        Assert.Empty(await store.GetProgressAsync(Globex, Ct));
    }
}
