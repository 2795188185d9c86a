using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Archiver.Core.Pipeline;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

public sealed class AdaptiveThrottleTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Real time for the stage's callbacks to run after the manual clock moved.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task LetsElementsGoAtTheConfiguredRate()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 1), _time);
        var (upstream, downstream) = Run(throttle, CancellationToken.None);
        await downstream.RequestAsync(3);
        for (var element = 1; element <= 3; element++)
        {
            await upstream.SendNextAsync(element);
        }

        Assert.Equal(1, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5))); // the one token a new throttle holds
        for (var element = 2; element <= 3; element++)
        {
            await AdvanceWhileWaitingAsync(TimeSpan.FromMilliseconds(90));
            await downstream.ExpectNoMsgAsync(Settle);
            await AdvanceWhileWaitingAsync(TimeSpan.FromMilliseconds(10));
            Assert.Equal(element, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public async Task DuringARetryAfterPause_HoldsEveryElement_ThenReleasesThemAtTheCutRate()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 1), _time, new ScriptedRate(10, afterPushback: 5));
        throttle.OnRateLimited(TimeSpan.FromSeconds(5)); // the rate is cut to 5/s: one element every 200 ms
        var (upstream, downstream) = Run(throttle, CancellationToken.None);

        await downstream.RequestAsync(3);
        await upstream.SendNextAsync(1);
        await upstream.SendNextAsync(2);
        await upstream.SendNextAsync(3);
        await downstream.ExpectNoMsgAsync(Settle);

        await AdvanceWhileWaitingAsync(TimeSpan.FromSeconds(4.9));
        await downstream.ExpectNoMsgAsync(Settle); // still paused

        await AdvanceWhileWaitingAsync(TimeSpan.FromSeconds(0.1));
        await downstream.ExpectNoMsgAsync(Settle); // the pause is over; nothing was saved up during it
        for (var element = 1; element <= 3; element++)
        {
            await AdvanceWhileWaitingAsync(TimeSpan.FromMilliseconds(150));
            await downstream.ExpectNoMsgAsync(Settle);
            await AdvanceWhileWaitingAsync(TimeSpan.FromMilliseconds(50));
            Assert.Equal(element, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public async Task NewLimits_TakeEffectOnTheRunningStage()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 1, burst: 1), _time);
        var (upstream, downstream) = Run(throttle, CancellationToken.None);
        await downstream.RequestAsync(3);
        await upstream.SendNextAsync(1);
        Assert.Equal(1, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5))); // the one token a new throttle holds

        await upstream.SendNextAsync(2); // waits a second at 1/s
        throttle.UpdateLimits(ThrottleLimits.For(ratePerSecond: 10, burst: 1));
        await AdvanceWhileWaitingAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));

        await upstream.SendNextAsync(3);
        _time.Advance(TimeSpan.FromMilliseconds(100)); // at most one token's wait at the new rate (the stage may not need to wait at all)
        Assert.Equal(3, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task OnceReleased_LetsAHeldElementGoWithoutWaitingOutThePause()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 1), _time);
        throttle.OnRateLimited(TimeSpan.FromHours(1));
        using var release = new CancellationTokenSource();
        var (upstream, downstream) = Run(throttle, release.Token);
        await downstream.RequestAsync(2);
        await upstream.SendNextAsync(1);
        await downstream.ExpectNoMsgAsync(Settle);

        await release.CancelAsync(); // the stream stops: what is held is handed back, not uploaded

        Assert.Equal(1, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));
        await upstream.SendNextAsync(2);
        Assert.Equal(2, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));
        await upstream.SendCompleteAsync();
        await downstream.ExpectCompleteAsync();
    }

    [Fact]
    public async Task UpstreamFinishing_CompletesOnlyAfterTheHeldElementWent()
    {
        var throttle = new Throttle(ThrottleLimits.For(ratePerSecond: 10, burst: 1), _time, new ScriptedRate(10, afterPushback: 5));
        throttle.OnRateLimited(TimeSpan.FromSeconds(1));
        var (upstream, downstream) = Run(throttle, CancellationToken.None);
        await downstream.RequestAsync(1);
        await upstream.SendNextAsync(1);
        await upstream.SendCompleteAsync();
        await downstream.ExpectNoMsgAsync(Settle);

        await AdvanceWhileWaitingAsync(TimeSpan.FromSeconds(1)); // the pause ends with nothing saved up,
        await AdvanceWhileWaitingAsync(TimeSpan.FromSeconds(0.2)); // and the first token at the cut rate of 5/s takes 200 ms

        Assert.Equal(1, await downstream.ExpectNextAsync(TimeSpan.FromSeconds(5)));
        await downstream.ExpectCompleteAsync();
    }

    /// <summary>
    /// Moves the clock once the throttle waits on it: a wait that started after the move would be measured from the
    /// old time, and the test would hang on a timer the clock has already passed.
    /// </summary>
    private async Task AdvanceWhileWaitingAsync(TimeSpan by)
    {
        await AwaitConditionAsync(() => Task.FromResult(_time.PendingTimers > 0), TimeSpan.FromSeconds(5));
        _time.Advance(by);
    }

    private (TestPublisher.Probe<int> Upstream, TestSubscriber.Probe<int> Downstream) Run(Throttle throttle, CancellationToken release) =>
        this.SourceProbe<int>()
            .Via(new AdaptiveThrottle<int>(throttle, release))
            .ToMaterialized(this.SinkProbe<int>(), Keep.Both)
            .Run(Sys.Materializer());
}
