using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

public abstract partial class ItemQueueContractTests
{
    [Fact]
    public async Task Enqueue_NewItems_ArePendingDueNowWithNoAttempts()
    {
        var store = await NewStoreAsync(Acme);

        var results = await store.EnqueueAsync([NewItem(Acme, "rec-1"), NewItem(Acme, "rec-2")], Ct);

        Assert.All(results, r => Assert.True(r.Created));
        var items = await ItemsAsync(store, Acme);
        Assert.Equal(2, items.Count);
        Assert.All(items, item =>
        {
            Assert.Equal(ItemStatus.Pending, item.Status);
            Assert.Equal(Start, item.NextAttemptAt);
            Assert.Equal(0, item.Item.Attempts);
            Assert.Equal(Start, item.Item.EnqueuedAt);
            Assert.Null(item.Archived);
            Assert.Null(item.LastError);
        });
    }

    [Fact]
    public async Task Enqueue_StoresEveryFieldOfTheItem()
    {
        var store = await NewStoreAsync(Acme);
        var sent = new NewItem(
            Acme,
            "fax-77",
            ItemKind.Fax,
            new Uri("file:///var/spool/fax/77.pdf"),
            new ItemMetadata(new DateTimeOffset(2025, 5, 30, 8, 15, 0, TimeSpan.FromHours(2)), From: "+4930111", To: null),
            Size: null);

        var id = (await store.EnqueueAsync([sent], Ct))[0].ItemId;

        var item = (await ItemAsync(store, Acme, id)).Item;
        Assert.Equal(new ArchiveItem(id, Acme, "fax-77", ItemKind.Fax, sent.Source, sent.Metadata, null, 0, Start), item);
    }

    [Fact]
    public async Task Enqueue_SourceGivenAsALocalPath_ComesBackAsAnAbsoluteFileUri()
    {
        var store = await NewStoreAsync(Acme);
        var sent = NewItem(Acme, "rec-1") with { Source = new Uri("/var/spool/calls/with space.wav") };

        var id = (await store.EnqueueAsync([sent], Ct))[0].ItemId;

        var source = (await ItemAsync(store, Acme, id)).Item.Source;
        Assert.True(source.IsAbsoluteUri && source.IsFile);
        Assert.Equal("/var/spool/calls/with space.wav", source.LocalPath);
    }

    [Fact]
    public async Task Enqueue_RelativeSource_IsRefusedAndNothingIsStored()
    {
        var store = await NewStoreAsync(Acme);
        var relative = NewItem(Acme, "rec-1") with { Source = new Uri("calls/1.wav", UriKind.Relative) };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => store.EnqueueAsync([NewItem(Acme, "rec-0"), relative], Ct));

        Assert.Contains("absolute URI", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ItemsAsync(store, Acme));
    }

    [Fact]
    public async Task Enqueue_EveryKind_RoundTrips()
    {
        var store = await NewStoreAsync(Acme);
        var kinds = Enum.GetValues<ItemKind>();

        await store.EnqueueAsync(kinds.Select(kind => NewItem(Acme, $"item-{kind}", kind)).ToList(), Ct);

        Assert.Equal(kinds, (await ItemsAsync(store, Acme)).Select(i => i.Item.Kind));
    }

    [Fact]
    public async Task Enqueue_SameExternalIdTwice_StoresOneItem()
    {
        var store = await NewStoreAsync(Acme);

        var first = await store.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);
        var second = await store.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);

        Assert.Single(await ItemsAsync(store, Acme));
        Assert.Equal(new EnqueueResult(first[0].ItemId, Created: false), second[0]);
    }

    [Fact]
    public async Task Enqueue_SameExternalIdTwiceInOneBatch_ReturnsTheFirstId()
    {
        var store = await NewStoreAsync(Acme);

        var results = await store.EnqueueAsync([NewItem(Acme, "rec-1"), NewItem(Acme, "rec-1")], Ct);

        Assert.True(results[0].Created);
        Assert.Equal(new EnqueueResult(results[0].ItemId, Created: false), results[1]);
    }

    [Fact]
    public async Task Enqueue_ResultsFollowTheOrderOfTheItems()
    {
        var store = await NewStoreAsync(Acme);
        await store.EnqueueAsync([NewItem(Acme, "old")], Ct);

        var results = await store.EnqueueAsync([NewItem(Acme, "new-1"), NewItem(Acme, "old"), NewItem(Acme, "new-2")], Ct);

        var stored = (await ItemsAsync(store, Acme)).ToDictionary(i => i.Item.ExternalId, i => i.Item.Id);
        Assert.Equal(
            [new(stored["new-1"], true), new(stored["old"], false), new(stored["new-2"], true)],
            results);
    }

    [Fact]
    public async Task Enqueue_SameExternalIdForTwoCustomers_StoresBoth()
    {
        var store = await NewStoreAsync(Acme, Globex);

        var results = await store.EnqueueAsync([NewItem(Acme, "rec-1"), NewItem(Globex, "rec-1")], Ct);

        Assert.All(results, r => Assert.True(r.Created));
        Assert.NotEqual(results[0].ItemId, results[1].ItemId);
    }

    [Fact]
    public async Task Enqueue_IdsIncreaseInEnqueueOrder()
    {
        var store = await NewStoreAsync(Acme);

        var ids = await EnqueueAsync(store, Acme, 5);

        Assert.Equal(ids.Order(), ids);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task Enqueue_UnknownCustomer_ThrowsAndStoresNothing()
    {
        var store = await NewStoreAsync(Acme);

        var thrown = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => store.EnqueueAsync([NewItem(Acme, "rec-1"), NewItem(Globex, "rec-1")], Ct));

        Assert.Contains("globex", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(await ItemsAsync(store, Acme));
    }

    [Fact]
    public async Task Enqueue_Nothing_ReturnsNothing()
    {
        var store = await NewStoreAsync(Acme);

        Assert.Empty(await store.EnqueueAsync([], Ct));
    }

    [Fact]
    public async Task Enqueue_NotifiesTheCustomersFeed()
    {
        var store = await NewStoreAsync(Acme, Globex);

        await store.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);

        Assert.True(await Signal.WaitAsync(Acme, TimeSpan.Zero, Time, Ct));
        Assert.False(await Signal.WaitAsync(Globex, TimeSpan.Zero, Time, Ct));
    }

    [Fact]
    public async Task Enqueue_OnlyDuplicates_DoesNotNotify()
    {
        var store = await NewStoreAsync(Acme);
        await store.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);
        await Signal.WaitAsync(Acme, TimeSpan.Zero, Time, Ct);

        await store.EnqueueAsync([NewItem(Acme, "rec-1")], Ct);

        Assert.False(await Signal.WaitAsync(Acme, TimeSpan.Zero, Time, Ct));
    }
}
