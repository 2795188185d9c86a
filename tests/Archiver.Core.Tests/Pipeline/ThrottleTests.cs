using Archiver.Core.Pipeline;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

public sealed class ThrottleTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Acquire_BeyondTheBurst_WaitsOneTokenInterval()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 1), _time);
        await throttle.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        var second = throttle.AcquireAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(90));
        await Task.Delay(Settle);
        Assert.False(second.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_ManyCallers_AreAdmittedAtTheConfiguredRate()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 5, burst: 1), _time);
        var calls = Enumerable.Range(0, 11).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();

        for (var second = 1; second <= 2; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await AssertAdmittedAsync(calls, 1 + (5 * second));
        }
    }

    [Fact]
    public async Task NewThrottle_AdmitsOneCallAtOnce_AndEarnsItsBurstOnlyByAQuietSpellAfterItsFirstCall()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 10), _time);
        _time.Advance(TimeSpan.FromSeconds(3)); // a pipeline starting up banks nothing
        var first = Enumerable.Range(0, 5).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
        await AssertAdmittedAsync(first, 1);
        _time.Advance(TimeSpan.FromSeconds(0.4));
        await AssertAdmittedAsync(first, 5);

        _time.Advance(TimeSpan.FromSeconds(0.5)); // quiet long enough to save up what it may
        var burst = Enumerable.Range(0, 6).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
        await AssertAdmittedAsync(burst, 5);
    }

    [Fact]
    public async Task AQuietSpell_SavesUpHalfTheBurst_LeavingTheRestToDropboxAsSlack()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 9), _time);
        await throttle.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromMinutes(1)); // however long the quiet spell
        var calls = Enumerable.Range(0, 9).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
        await AssertAdmittedAsync(calls, 5); // half of 9, rounded up
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await AssertAdmittedAsync(calls, 6); // the rest at the rate
    }

    [Fact]
    public void UpdateLimits_NothingLearned_MovesStraightToTheNewCeiling()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 4, burst: 1), _time);

        throttle.UpdateLimits(ThrottleLimits.For(ratePerSecond: 40, burst: 1));
        Assert.Equal(40, throttle.CurrentRate);

        throttle.UpdateLimits(ThrottleLimits.For(ratePerSecond: 4, burst: 1));
        Assert.Equal(4, throttle.CurrentRate);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(1)]
    public void RateLimited_NeverRaisesTheRateAboveTheConfiguredCeiling(double ceiling)
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: ceiling, burst: 1), _time);

        throttle.OnRateLimited(TimeSpan.FromSeconds(1));

        Assert.InRange(throttle.CurrentRate, 0, ceiling);
    }

    [Fact]
    public void Limits_FloorAtTheSlowestConfigurableRate_AndNeverAboveTheCeiling()
    {
        Assert.Equal(TuningBounds.MinRatePerSecond, ThrottleLimits.For(ratePerSecond: 1, burst: 1).FloorPerSecond);
        Assert.Equal(0.05, ThrottleLimits.For(ratePerSecond: 0.05, burst: 1).FloorPerSecond);
        Assert.Equal(5, ThrottleLimits.For(ratePerSecond: 100, burst: 1).FloorPerSecond);
    }

    [Fact]
    public async Task RateLimited_PausesEveryWorkerOfTheCustomerUntilRetryAfter()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 100, burst: 100), _time, new ScriptedRate(100, afterPushback: 50));
        throttle.OnRateLimited(TimeSpan.FromSeconds(5));

        var workers = Enumerable.Range(0, 4).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
        _time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(Settle);
        Assert.DoesNotContain(workers, w => w.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.1)); // the pause is over; calls resume paced at the cut rate
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RateLimited_SavesNothingUpDuringThePause_SoCallsResumePacedNotAsABurst()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 20, burst: 20), _time, new ScriptedRate(20, afterPushback: 10));
        throttle.OnRateLimited(TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(5));
        var calls = Enumerable.Range(0, 5).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
        await Task.Delay(Settle);
        Assert.DoesNotContain(calls, c => c.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.25));
        await AssertAdmittedAsync(calls, 2);
    }

    [Fact]
    public async Task RateLimited_WhileAWorkerAlreadyWaits_MakesThatWorkerWaitForThePauseToo()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 1, burst: 1), _time, new ScriptedRate(1, afterPushback: 0.5));
        await throttle.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var waiting = throttle.AcquireAsync(CancellationToken.None);

        throttle.OnRateLimited(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(Settle);
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(Settle);
        Assert.False(waiting.IsCompleted); // the pause is over, but the first token at 0.5/s is two seconds away

        _time.Advance(TimeSpan.FromSeconds(2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void RateLimited_TellsTheRateControllerOncePerPauseWindow()
    {
        var controller = new ScriptedRate(40, afterPushback: 20);
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 40, burst: 10), _time, controller);

        Assert.True(throttle.OnRateLimited(TimeSpan.FromSeconds(1)));
        Assert.False(throttle.OnRateLimited(TimeSpan.FromSeconds(1))); // same window: other workers' 429s
        Assert.Equal([_time.GetUtcNow() + TimeSpan.FromSeconds(1)], controller.Pushbacks);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.OnRateLimited(TimeSpan.FromSeconds(1)));
        Assert.Equal(2, controller.Pushbacks.Count);
    }

    [Fact]
    public async Task Acquire_Cancelled_GivesItsReservationBack()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 1, burst: 1), _time);
        await throttle.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource();
        var abandoned = throttle.AcquireAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        var next = throttle.AcquireAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits until <paramref name="expected"/> calls are admitted, then checks that no more follow.</summary>
    private static async Task AssertAdmittedAsync(Task[] calls, int expected)
    {
        await Eventually.TrueAsync(() => calls.Count(c => c.IsCompletedSuccessfully) >= expected, $"{expected} calls are admitted", TimeSpan.FromSeconds(10));
        await Task.Delay(Settle);
        Assert.Equal(expected, calls.Count(c => c.IsCompletedSuccessfully));
    }
}
