using Akka.Actor;
using Akka.Configuration;
using Archiver.Core.Node;

namespace Archiver.Core.Tests.Node;

public sealed class TimerQueueSchedulerTests()
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(
        $"akka.scheduler.implementation = \"{typeof(TimerQueueScheduler).AssemblyQualifiedName}\""))
{
    private TimerQueueScheduler Queue => Assert.IsType<TimerQueueScheduler>(Sys.Scheduler);

    private IScheduler Scheduler => Queue;

    [Fact]
    public void ScheduledTell_ArrivesOnceAfterItsDelay_AndLeavesNothingPending()
    {
        var probe = CreateTestProbe();
        var started = Queue.MonotonicClock;

        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), probe.Ref, "due", ActorRefs.NoSender);

        probe.ExpectMsg("due", TimeSpan.FromSeconds(3));
        // .NET's timer queue counts in the system's coarse ticks (4–10 ms), so a timer may fire a tick early.
        Assert.True(Queue.MonotonicClock - started >= TimeSpan.FromMilliseconds(80), "not before its delay");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AwaitCondition(() => Queue.PendingCount == 0);
    }

    [Fact]
    public void CancelledTell_NeverArrives()
    {
        var probe = CreateTestProbe();
        var cancelable = new Cancelable(Scheduler);

        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), probe.Ref, "due", ActorRefs.NoSender, cancelable);
        cancelable.Cancel();

        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Equal(0, Queue.PendingCount);
    }

    [Fact]
    public void RepeatedTell_ArrivesEveryIntervalUntilCancelled()
    {
        var probe = CreateTestProbe();
        var cancelable = new Cancelable(Scheduler);

        Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), probe.Ref, "tick", ActorRefs.NoSender, cancelable);
        for (var i = 0; i < 3; i++)
        {
            probe.ExpectMsg("tick", TimeSpan.FromSeconds(3));
        }

        cancelable.Cancel();
        probe.ReceiveWhile(TimeSpan.FromMilliseconds(100), message => message); // at most one already on its way
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, Queue.PendingCount);
    }

    [Fact]
    public void ActorTimers_RunOnIt()
    {
        var probe = CreateTestProbe();

        Sys.ActorOf(Props.Create(typeof(RemindsOnce), probe.Ref));

        probe.ExpectMsg("reminded", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void AFailingScheduledAction_DoesNotStopOthers()
    {
        var probe = CreateTestProbe();

        Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, () => throw new InvalidOperationException("boom"));
        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), probe.Ref, "still on time", ActorRefs.NoSender);

        probe.ExpectMsg("still on time", TimeSpan.FromSeconds(3));
    }

    private sealed class RemindsOnce : ReceiveActor, IWithTimers
    {
        public RemindsOnce(IActorRef probe) => Receive<string>(reminder => probe.Tell(reminder));

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartSingleTimer("reminder", "reminded", TimeSpan.FromMilliseconds(50));
    }
}
