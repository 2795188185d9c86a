using System.Globalization;
using Archiver.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Retention;

/// <summary>
/// Removes history past its retention (<see cref="RetentionOptions"/>): archived items, then ordinary journal entries,
/// then failure entries, each batch by batch until a batch comes back short, yielding between batches so archiving
/// goes on. A run journals what it removed (<see cref="EventTypes.RetentionPruned"/>) and never throws: a failure ends
/// the run, recorded in what it returns, and the next run carries on.
/// </summary>
public sealed class RetentionPruner(IArchiveStore store, RetentionOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>What retention removes at <paramref name="now"/>.</summary>
    public RetentionCutoffs CutoffsAt(DateTimeOffset now) =>
        new(now - options.ArchivedItems, now - options.Events, now - options.FailureEvents);

    /// <summary>What a run would remove now, removing nothing.</summary>
    public Task<RetentionCounts> DryRunAsync(CancellationToken cancellationToken) =>
        store.CountPrunableAsync(CutoffsAt(time.GetUtcNow()), cancellationToken);

    /// <summary>Removes everything past its retention now; cancelling stops between batches.</summary>
    public async Task<RetentionRun> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var cutoffs = CutoffsAt(startedAt);
        var removed = new long[3];
        string? error = null;
        try
        {
            await DrainAsync(max => store.PruneArchivedItemsAsync(cutoffs.ArchivedItemsBefore, max, cancellationToken), removed, 0, cancellationToken)
                .ConfigureAwait(false);
            await DrainAsync(max => store.PruneEventsAsync(cutoffs.EventsBefore, failures: false, max, cancellationToken), removed, 1, cancellationToken)
                .ConfigureAwait(false);
            await DrainAsync(max => store.PruneEventsAsync(cutoffs.FailureEventsBefore, failures: true, max, cancellationToken), removed, 2, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? "stopped" : ex.Message;
            if (error != "stopped")
            {
                Log.RetentionFailed(logger, ex);
            }
        }

        var run = new RetentionRun(startedAt, time.GetElapsedTime(started), new RetentionCounts(removed[0], removed[1], removed[2]), error);
        Log.RetentionRan(logger, run.Removed.ArchivedItems, run.Removed.Events, run.Removed.FailureEvents, run.Duration);
        if (run.Removed.Total > 0)
        {
            await JournalAsync(run).ConfigureAwait(false);
        }

        return run;
    }

    /// <summary>
    /// Deletes batch after batch until one comes back short, counting into <paramref name="removed"/> as it goes, so a
    /// run that stops early still reports what it removed. Between batches it waits
    /// <see cref="RetentionOptions.PauseBetweenBatches"/>: the writers waiting behind a batch go first, and a long run
    /// takes only a small share of the database from archiving.
    /// </summary>
    private async Task DrainAsync(Func<int, Task<int>> prune, long[] removed, int slot, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await prune(options.BatchSize).ConfigureAwait(false);
            removed[slot] += batch;
            if (batch < options.BatchSize)
            {
                return;
            }

            if (options.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(options.PauseBetweenBatches, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    private async Task JournalAsync(RetentionRun run)
    {
        var details = string.Create(
            CultureInfo.InvariantCulture,
            $"removed {run.Removed.ArchivedItems} archived item(s), {run.Removed.Events} event(s), {run.Removed.FailureEvents} failure event(s) in {run.Duration.TotalSeconds:0.###} s{(run.Error is null ? "" : $"; stopped early: {run.Error}")}");
        try
        {
            // Not cancelled with the run: what was removed is recorded even when the node is stopping.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
            await store.AppendEventsAsync([new NewEvent(EventTypes.RetentionPruned, null, details)], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RetentionJournalFailed(logger, ex);
        }
    }
}
