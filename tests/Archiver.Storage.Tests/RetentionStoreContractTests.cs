using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="IRetentionStore"/> must do: remove old archived items and old journal entries (failure entries
/// by their own, longer cutoff), batch by batch, and nothing else; and count beforehand exactly what it would remove.
/// </summary>
public abstract class RetentionStoreContractTests(TestStores stores) : StoreContractTests(stores)
{
    private static readonly DateTimeOffset Now = Start.AddDays(200);

    /// <summary>90 days for archived items, 30 for ordinary entries, 180 for failure entries, as the defaults are.</summary>
    private static readonly RetentionCutoffs Cutoffs = new(Now.AddDays(-90), Now.AddDays(-30), Now.AddDays(-180));

    [Fact]
    public async Task Prune_RemovesExactlyTheOldArchivedItems_NeverFailedPendingOrInFlightOnes()
    {
        var (store, history) = await HistoryAsync();

        var removed = await PruneItemsAsync(store, batch: 2);

        Assert.Equal([2, 1], removed); // a batch short of full is the last
        var left = await AllItemsAsync(store);
        Assert.Equal(history.Items.Except(history.OldArchived).Order(), left.Select(i => i.Item.Id).Order());
        Assert.Contains(left, i => i.Status == ItemStatus.Failed && i.UpdatedAt < Cutoffs.ArchivedItemsBefore);
        Assert.Contains(left, i => i.Status == ItemStatus.Pending && i.UpdatedAt < Cutoffs.ArchivedItemsBefore);
        Assert.Contains(left, i => i.Status == ItemStatus.InFlight && i.UpdatedAt < Cutoffs.ArchivedItemsBefore);
        Assert.Contains(left, i => i.Status == ItemStatus.Archived); // the recent ones
    }

    [Fact]
    public async Task Prune_RemovesOrdinaryEventsByTheirCutoff_AndFailureEventsByTheirLongerOne()
    {
        var (store, _) = await HistoryAsync();
        var before = await AllEventsAsync(store);
        var expected = before.Where(e => !IsPrunable(e)).Select(e => e.Sequence).ToArray();
        var ordinary = before.Count(e => IsPrunable(e) && !EventTypes.Failures.Contains(e.Type));
        var failures = before.Count(e => IsPrunable(e) && EventTypes.Failures.Contains(e.Type));
        Assert.True(ordinary > 2 && failures > 2, "the history has more than a batch of each to prune");
        Assert.Contains(before, e => EventTypes.Failures.Contains(e.Type) && e.At < Cutoffs.EventsBefore && e.At >= Cutoffs.FailureEventsBefore);

        var removedOrdinary = await PruneEventsAsync(store, failures: false, batch: 2);
        var removedFailures = await PruneEventsAsync(store, failures: true, batch: 2);

        Assert.Equal(ordinary, removedOrdinary.Sum());
        Assert.Equal(failures, removedFailures.Sum());
        Assert.All(removedOrdinary.Concat(removedFailures), n => Assert.InRange(n, 0, 2));
        Assert.Equal(expected, (await AllEventsAsync(store)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task DryRunCounts_MatchWhatPruningRemoves_AndRemoveNothing()
    {
        var (store, history) = await HistoryAsync();
        var events = await AllEventsAsync(store);

        var counts = await store.CountPrunableAsync(Cutoffs, Ct);

        Assert.Equal(history.Items.Count, (await AllItemsAsync(store)).Count);
        Assert.Equal(events.Count, (await AllEventsAsync(store)).Count);
        var removed = new RetentionCounts(
            (await PruneItemsAsync(store, batch: 1000)).Sum(),
            (await PruneEventsAsync(store, failures: false, batch: 1000)).Sum(),
            (await PruneEventsAsync(store, failures: true, batch: 1000)).Sum());
        Assert.Equal(new RetentionCounts(history.OldArchived.Count, counts.Events, counts.FailureEvents), counts);
        Assert.Equal(counts, removed);
        Assert.Equal(RetentionCounts.None, await store.CountPrunableAsync(Cutoffs, Ct));
    }

    [Fact]
    public async Task APrunedExternalId_IsEnqueuedAsANewItemAgain()
    {
        var (store, _) = await HistoryAsync();
        await PruneItemsAsync(store, batch: 1000);

        var again = await store.EnqueueAsync([NewItem(Acme, "old-0")], Ct);

        Assert.True(again[0].Created);
    }

    private static bool IsPrunable(ArchiveEvent entry) =>
        entry.At < (EventTypes.Failures.Contains(entry.Type) ? Cutoffs.FailureEventsBefore : Cutoffs.EventsBefore);

    /// <summary>
    /// Items of every status and journal entries of both kinds, some past their cutoff and some not, the clock left at
    /// <see cref="Now"/>: at the start, archived, failed, pending and in-flight items and entries of both kinds; 100 days
    /// on (past the ordinary and items' cutoffs, within the failures'), entries of both kinds; 195 days on, archived and
    /// failed items and entries of both kinds.
    /// </summary>
    private async Task<(IArchiveStore Store, History History)> HistoryAsync()
    {
        var store = await NewStoreAsync(Acme, Globex);
        var old = await EnqueueAsync(store, Acme, 4, "old");
        var acme = await LeaseAsync(store, Acme);
        await store.ClaimAsync(acme, 0, 4, Ct);
        await store.CheckpointAsync(
            acme,
            [.. old[..3].Select(id => (ItemOutcome)new ItemOutcome.Archived(id, ArchivedFile(id))), new ItemOutcome.Failed(old[3], "unsupported")],
            Ct);
        var oldPending = await EnqueueAsync(store, Acme, 1, "old-pending");
        var oldInFlight = await EnqueueAsync(store, Globex, 1, "old-in-flight");
        await store.ClaimAsync(await LeaseAsync(store, Globex), 0, 1, Ct);
        await AppendBothKindsAsync(store, "start", 3);

        Time.Advance(TimeSpan.FromDays(100));
        await AppendBothKindsAsync(store, "day 100", 3);

        Time.Advance(TimeSpan.FromDays(95));
        var recent = await EnqueueAsync(store, Acme, 3, "recent");
        acme = await LeaseAsync(store, Acme);
        await store.ClaimAsync(acme, oldPending[0], 3, Ct);
        await store.CheckpointAsync(
            acme,
            [new ItemOutcome.Archived(recent[0], ArchivedFile(recent[0])), new ItemOutcome.Archived(recent[1], ArchivedFile(recent[1])), new ItemOutcome.Failed(recent[2], "gone")],
            Ct);
        await AppendBothKindsAsync(store, "day 195", 1);

        Time.Advance(TimeSpan.FromDays(5));
        Assert.Equal(Now, Time.GetUtcNow());
        return (store, new History([.. old, .. oldPending, .. oldInFlight, .. recent], old[..3]));
    }

    private static Task AppendBothKindsAsync(IArchiveStore store, string when, int each) =>
        store.AppendEventsAsync(
            [
                .. Enumerable.Range(0, each).Select(i => new NewEvent(EventTypes.PipelineStarted, Acme, $"{when} {i}")),
                .. Enumerable.Range(0, each).Select(i => new NewEvent(EventTypes.Failures[i % EventTypes.Failures.Count], Acme, $"{when} failure {i}")),
                new NewEvent(EventTypes.RateLimited, null, $"{when} rate limited"),
            ],
            Ct);

    private async Task<List<int>> PruneItemsAsync(IArchiveStore store, int batch)
    {
        var removed = new List<int>();
        do
        {
            removed.Add(await store.PruneArchivedItemsAsync(Cutoffs.ArchivedItemsBefore, batch, Ct));
        }
        while (removed[^1] == batch);

        return removed;
    }

    private async Task<List<int>> PruneEventsAsync(IArchiveStore store, bool failures, int batch)
    {
        var removed = new List<int>();
        do
        {
            removed.Add(await store.PruneEventsAsync(failures ? Cutoffs.FailureEventsBefore : Cutoffs.EventsBefore, failures, batch, Ct));
        }
        while (removed[^1] == batch);

        return removed;
    }

    private static async Task<List<StoredItem>> AllItemsAsync(IArchiveStore store) =>
        [.. await ItemsAsync(store, Acme), .. await ItemsAsync(store, Globex)];

    private static async Task<IReadOnlyList<ArchiveEvent>> AllEventsAsync(IArchiveStore store) =>
        await store.ReadEventsAsync(new EventQuery(Limit: 10_000), Ct);

    private sealed record History(IReadOnlyList<long> Items, IReadOnlyList<long> OldArchived);
}

public sealed class SqliteRetentionStoreTests() : RetentionStoreContractTests(new SqliteTestStores());

public sealed class PostgresRetentionStoreTests() : RetentionStoreContractTests(new PostgresTestStores());
