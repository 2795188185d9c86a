using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Archiver.Core.Node;

/// <summary>
/// An Akka scheduler on .NET's timer queue, selected by <c>akka.scheduler.implementation</c>. Akka's default
/// (<c>HashedWheelTimerScheduler</c>) wakes every <c>akka.scheduler.tick-duration</c> (10 ms) while any timer is
/// pending, and a node always has some (its refresh, its lease renewal): that alone cost 2–3 % of a core on a node
/// with nothing to do. .NET's timers cost nothing until one is due, and fire with millisecond precision, which the
/// throttle's timers want anyway.
/// </summary>
public sealed class TimerQueueScheduler(Config config, ILoggingAdapter log) : SchedulerBase(config, log), IDisposable
{
    /// <summary>The longest delay a <see cref="Timer"/> takes; longer ones are scheduled this far (in practice: never due).</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static readonly long Started = TimeProvider.System.GetTimestamp();

    private readonly ConcurrentDictionary<Scheduled, byte> _pending = new();
    private volatile bool _stopped;

    /// <summary>How many scheduled actions are waiting to run (repeating ones until cancelled).</summary>
    public int PendingCount => _pending.Count;

    public override TimeSpan MonotonicClock => TimeProvider.System.GetElapsedTime(Started);

    public override TimeSpan HighResMonotonicClock => TimeProvider.System.GetElapsedTime(Started);

    protected override DateTimeOffset TimeNow => TimeProvider.System.GetUtcNow();

    /// <summary>Stops every pending timer; the actor system calls it when it terminates.</summary>
    public void Dispose()
    {
        _stopped = true;
        foreach (var scheduled in _pending.Keys)
        {
            scheduled.Stop();
        }
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, new Tell(receiver, message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(
        TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(initialDelay, interval, new Tell(receiver, message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action, cancelable);

    private void Schedule(TimeSpan delay, TimeSpan interval, IRunnable action, ICancelable? cancelable)
    {
        if (_stopped)
        {
            throw new SchedulerException("The scheduler has stopped: its actor system terminated.");
        }

        if (cancelable?.IsCancellationRequested == true)
        {
            return;
        }

        var scheduled = new Scheduled(this, action, interval, cancelable);
        _pending[scheduled] = 0;
        scheduled.Start(Clamp(delay), interval == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : Clamp(interval));
    }

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.Zero ? TimeSpan.Zero : delay > LongestDelay ? LongestDelay : delay;

    /// <summary>One scheduled action on its own <see cref="Timer"/>, gone from the queue once run (or cancelled).</summary>
    private sealed class Scheduled(TimerQueueScheduler scheduler, IRunnable action, TimeSpan interval, ICancelable? cancelable)
    {
        private Timer? _timer;
        private CancellationTokenRegistration _cancellation;
        private int _stopped;

        public void Start(TimeSpan delay, TimeSpan period)
        {
            _timer = new Timer(static state => ((Scheduled)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (cancelable is not null)
            {
                _cancellation = cancelable.Token.Register(static state => ((Scheduled)state!).Stop(), this);
            }

            _timer.Change(delay, period);
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            _cancellation.Unregister();
            _timer?.Dispose();
            scheduler._pending.TryRemove(this, out _);
        }

        private void Fire()
        {
            if (Volatile.Read(ref _stopped) == 1 || cancelable?.IsCancellationRequested == true)
            {
                Stop();
                return;
            }

            if (interval == Timeout.InfiniteTimeSpan)
            {
                Stop(); // a one-off runs once, even if the timer were to call again
            }

            try
            {
                action.Run();
            }
            catch (SchedulerException)
            {
                // the receiver's system is terminating
            }
            catch (Exception ex)
            {
                scheduler.Log.Error(ex, "A scheduled task failed: {0}", action);
            }
        }
    }

    /// <summary>A message sent when due.</summary>
    private sealed class Tell(ICanTell receiver, object message, IActorRef sender) : IRunnable
    {
        public void Run() => receiver.Tell(message, sender);

        public void Execute() => Run();

        public override string ToString() => $"[{receiver}.Tell({message}, {sender})]";
    }
}
