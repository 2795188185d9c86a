using System.Collections.Concurrent;
using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

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

    /// <summary>
    /// Calls <paramref name="wake"/> once, when <paramref name="customer"/> is next notified (at once when a pulse is
    /// pending), unless <see cref="CancelWake"/> comes first: a wait that keeps no task, timer or token, for an actor
    /// that waits by messages.
    /// </summary>
    public void OnNotify(CustomerId customer, Action wake) => _pulses.GetOrAdd(customer, static _ => new Pulse()).OnSet(wake);

    /// <summary>Forgets <paramref name="wake"/>, registered by <see cref="OnNotify"/>, if it was not called yet.</summary>
    public void CancelWake(CustomerId customer, Action wake)
    {
        if (_pulses.TryGetValue(customer, out var pulse))
        {
            pulse.CancelWake(wake);
        }
    }

    /// <summary>Completes when <paramref name="customer"/> is notified, or after <paramref name="timeout"/>.</summary>
    /// <returns>True when woken by a pulse, false on timeout.</returns>
    public Task<bool> WaitAsync(CustomerId customer, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        _pulses.GetOrAdd(customer, static _ => new Pulse()).WaitAsync(timeout, timeProvider, cancellationToken);

    private sealed class Pulse
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource? _waiter;
        private Action? _wake;
        private bool _pending;

        public void Set()
        {
            TaskCompletionSource? toWake;
            Action? wake;
            lock (_lock)
            {
                toWake = _waiter;
                wake = _wake;
                _waiter = null;
                _wake = null;
                _pending = toWake is null && wake is null;
            }

            toWake?.TrySetResult();
            wake?.Invoke();
        }

        public void OnSet(Action wake)
        {
            lock (_lock)
            {
                if (!_pending)
                {
                    _wake = wake;
                    return;
                }

                _pending = false;
            }

            wake();
        }

        public void CancelWake(Action wake)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_wake, wake))
                {
                    _wake = null;
                }
            }
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
