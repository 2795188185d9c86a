using System.Collections.Concurrent;
using Archiver.Customers;

namespace Archiver.Storage;

/// <summary>
/// Wakes a customer's feed the moment work arrives for it. A store pulses it after an enqueue commits
/// (and, on PostgreSQL, when a NOTIFY arrives from another node). A pulse with no waiter is remembered
/// until the next wait, so a pulse that lands between "found nothing" and "start waiting" is never lost.
/// </summary>
public sealed class WorkSignal
{
    private readonly ConcurrentDictionary<CustomerId, Pulse> _pulses = new();

    /// <summary>Says that <paramref name="customer"/> has new work.</summary>
    public void Notify(CustomerId customer) => _pulses.GetOrAdd(customer, static _ => new Pulse()).Set();

    /// <summary>Completes when <paramref name="customer"/> is notified, or after <paramref name="timeout"/>.</summary>
    /// <returns>True when woken by a pulse, false on timeout.</returns>
    public Task<bool> WaitAsync(CustomerId customer, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        _pulses.GetOrAdd(customer, static _ => new Pulse()).WaitAsync(timeout, timeProvider, cancellationToken);

    private sealed class Pulse
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource? _waiter;
        private bool _pending;

        public void Set()
        {
            TaskCompletionSource? toWake;
            lock (_lock)
            {
                toWake = _waiter;
                _waiter = null;
                _pending = toWake is null;
            }

            toWake?.TrySetResult();
        }

        public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_pending)
                {
                    _pending = false;
                    return true;
                }

                waiter = _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            try
            {
                await waiter.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }
}
