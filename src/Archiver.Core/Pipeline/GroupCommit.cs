using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Core.Pipeline;

/// <summary>
/// Writes the checkpoints of every customer on a node together. A checkpoint that finds no write under way starts one
/// at once, alone; those that arrive while a write runs wait for it and then go in the next write, together, in one
/// transaction (<see cref="IItemQueue.CheckpointAsync(IReadOnlyList{LeaseOutcomes}, CancellationToken)"/>). So a
/// quiet node writes each checkpoint as soon as it comes, and a busy one writes hundreds of customers' outcomes per
/// round trip instead of a handful of items each. Nothing runs, and no timer waits, while no checkpoint is pending.
/// </summary>
/// <remarks>
/// One customer's checkpoint must not fail the others': when a write of several leases fails, each lease's outcomes
/// are written again on their own, all at once, so only the checkpoint that cannot be written sees the error.
/// </remarks>
public sealed class GroupCommit(IItemQueue queue, int maxOutcomesPerWrite = GroupCommit.DefaultMaxOutcomesPerWrite)
{
    /// <summary>Outcomes written in one transaction at most, unless a single checkpoint holds more.</summary>
    public const int DefaultMaxOutcomesPerWrite = 1000;

    private readonly Lock _lock = new();
    private readonly Queue<Pending> _pending = new();
    private bool _writing;

    /// <summary>
    /// Writes <paramref name="outcomes"/> under <paramref name="lease"/>, with other customers' checkpoints when they
    /// wait too. Cancelling stops the wait, not a write already under way: its outcomes may still be applied.
    /// </summary>
    public Task<CheckpointResult> WriteAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        var pending = new Pending(new LeaseOutcomes(lease, outcomes));
        lock (_lock)
        {
            _pending.Enqueue(pending);
            if (_writing)
            {
                return pending.Result.Task.WaitAsync(cancellationToken);
            }

            _writing = true;
        }

        _ = Task.Run(WriteWhilePendingAsync, CancellationToken.None);
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is pending, group after group, until nothing is; never throws.</summary>
    private async Task WriteWhilePendingAsync()
    {
        while (TakeGroup() is { } group)
        {
            try
            {
                var results = await queue.CheckpointAsync([.. group.Select(p => p.Checkpoint)], CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && group.Count > 1)
            {
                // Which lease's outcomes broke the write is found by writing each on its own, all at once: when the
                // database itself is down, every customer learns it within one timeout, not one after another.
                await Task.WhenAll(group.Select(WriteAloneAsync)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                group[0].Result.TrySetException(ex);
            }
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            var results = await queue.CheckpointAsync([pending.Checkpoint], CancellationToken.None).ConfigureAwait(false);
            pending.Result.TrySetResult(results[0]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            pending.Result.TrySetException(ex);
        }
    }

    /// <summary>The next group to write, up to the limit of outcomes; null (and writing over) when nothing is pending.</summary>
    private List<Pending>? TakeGroup()
    {
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                _writing = false;
                return null;
            }

            var group = new List<Pending> { _pending.Dequeue() };
            var outcomes = group[0].Checkpoint.Outcomes.Count;
            while (_pending.TryPeek(out var next) && outcomes + next.Checkpoint.Outcomes.Count <= maxOutcomesPerWrite)
            {
                group.Add(_pending.Dequeue());
                outcomes += next.Checkpoint.Outcomes.Count;
            }

            return group;
        }
    }

    private sealed record Pending(LeaseOutcomes Checkpoint)
    {
        public TaskCompletionSource<CheckpointResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
