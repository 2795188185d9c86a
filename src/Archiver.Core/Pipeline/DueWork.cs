using Archiver.Core.Customers;

namespace Archiver.Core.Pipeline;

/// <summary>
/// Waits until a customer may have something to claim: an enqueue wakes it (<see cref="Storage.WorkSignal"/>), the
/// earliest pending item falling due ends the wait on time, and a jittered poll is the fallback. A poll that finds
/// nothing due costs one small read (<see cref="Storage.IItemQueue.NextDueAtAsync"/>), not a claim transaction.
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
            var nextDue = await services.Store.NextDueAtAsync(customer, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (nextDue <= now)
            {
                return true;
            }

            if (now >= deadline)
            {
                return false;
            }

            var wait = Min(LookAgainAfter(nextDue, now, pollInterval), deadline - now);
            if (await services.Signal.WaitAsync(customer, wait < MinimumWait ? MinimumWait : wait, time, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// How long to wait, from <paramref name="now"/>, before looking for due work again when none is due yet: until the
    /// earliest pending item falls due (<paramref name="nextDue"/>, null when there is none), or a poll jittered by ±20 %
    /// so that many waiting customers do not all look at once; never so short that a clock edge makes it a busy loop.
    /// </summary>
    public static TimeSpan LookAgainAfter(DateTimeOffset? nextDue, DateTimeOffset now, TimeSpan pollInterval)
    {
        var wait = pollInterval * (0.8 + (Random.Shared.NextDouble() * 0.4));
        if (nextDue is { } due)
        {
            wait = Min(wait, due - now);
        }

        return wait < MinimumWait ? MinimumWait : wait;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
