using Archiver.Customers;

namespace Archiver.Pipeline;

/// <summary>
/// Waits until a customer may have something to claim: an enqueue wakes it (<see cref="Storage.WorkSignal"/>), the
/// earliest pending item falling due ends the wait on time, and a jittered poll is the fallback. A poll that finds
/// nothing due costs one small read (<see cref="Storage.IArchiveStore.NextDueAtAsync"/>), not a claim transaction.
/// A running stream's <see cref="ItemSource"/> waits here; a customer whose stream is down for want of work waits the
/// same way by messages (its actor's idle state), keeping no task.
/// </summary>
internal static class DueWork
{
    /// <summary>The shortest sleep, so a clock edge can never turn the wait into a busy loop.</summary>
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(5);

    /// <param name="giveUpAfter">How long to wait at most; <see cref="Timeout.InfiniteTimeSpan"/> for as long as it takes.</param>
    /// <returns>True when there may be work now; false when <paramref name="giveUpAfter"/> passed without any.</returns>
    public static async Task<bool> WaitAsync(
        PipelineServices services, CustomerId customer, TimeSpan pollInterval, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        var time = services.Time;
        var deadline = giveUpAfter == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : time.GetUtcNow() + giveUpAfter;
        while (true)
        {
            var wait = pollInterval * (0.8 + (Random.Shared.NextDouble() * 0.4));
            var nextDue = await services.Store.NextDueAtAsync(customer, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (nextDue is { } due)
            {
                if (due <= now)
                {
                    return true;
                }

                wait = Min(wait, due - now);
            }

            if (now >= deadline)
            {
                return false;
            }

            wait = Min(wait, deadline - now);
            if (await services.Signal.WaitAsync(customer, wait < MinimumWait ? MinimumWait : wait, time, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
