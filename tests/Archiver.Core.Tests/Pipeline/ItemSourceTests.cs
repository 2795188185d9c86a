using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

public sealed class ItemSourceTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task ClaimsNoMoreThanItsCredits_AndAgainOnceHalfOfThemCameBack()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 50);
        var settings = PipelineHarness.Settings(parallelism: 2, bufferPerWorker: 3); // room for 6
        var credits = new ClaimCredits(settings.Capacity);
        using var stopping = new CancellationTokenSource();

        var items = await RunAsync(harness, customer, settings, credits, stopping.Token);
        await items.RequestAsync(50); // downstream asks for everything: the credits still bound the claims
        Assert.Equal(6, await items.ExpectNextNAsync(6).CountAsync());
        await items.ExpectNoMsgAsync(Quiet);
        Assert.Equal(6, (await harness.ProgressAsync(customer.Id)).InFlight);

        credits.Return(2); // fewer than half free: a claim of two items would cost a round trip each
        await items.ExpectNoMsgAsync(Quiet);
        credits.Return(1);
        Assert.Equal(3, await items.ExpectNextNAsync(3).CountAsync());
        await items.ExpectNoMsgAsync(Quiet);
        Assert.Equal(9, (await harness.ProgressAsync(customer.Id)).InFlight);
        await stopping.CancelAsync();
        await items.ExpectCompleteAsync();
    }

    [Fact]
    public async Task WhenNothingIsDue_WakesOnEnqueueWithoutWaitingForThePoll()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var settings = PipelineHarness.Settings(pollInterval: TimeSpan.FromHours(1));
        using var stopping = new CancellationTokenSource();

        var items = await RunAsync(harness, customer, settings, new ClaimCredits(settings.Capacity), stopping.Token);
        await items.RequestAsync(1);
        await items.ExpectNoMsgAsync(Quiet); // nothing due: it waits for up to an hour

        await harness.EnqueueAsync(customer.Id, 1);

        Assert.Equal("item-0", (await items.ExpectNextAsync(TimeSpan.FromSeconds(5))).ExternalId);
        await stopping.CancelAsync();
        await items.ExpectCompleteAsync();
    }

    [Fact]
    public async Task FindingNothingForIdleAfter_Completes()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 2);
        var settings = PipelineHarness.Settings(idleAfter: TimeSpan.FromMilliseconds(300));
        using var stopping = new CancellationTokenSource();

        var items = await RunAsync(harness, customer, settings, new ClaimCredits(settings.Capacity), stopping.Token);
        await items.RequestAsync(10);
        Assert.Equal(2, await items.ExpectNextNAsync(2).CountAsync());

        await items.ExpectCompleteAsync(); // within the probe's default timeout, long before any poll
    }

    [Fact]
    public async Task Stopping_ClaimsNothingMore_LetsDownstreamTakeWhatItHolds_AndCompletes()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 50);
        var settings = PipelineHarness.Settings(parallelism: 2, bufferPerWorker: 3); // room for 6
        var credits = new ClaimCredits(settings.Capacity);
        using var stopping = new CancellationTokenSource();

        var items = await RunAsync(harness, customer, settings, credits, stopping.Token);
        await items.RequestAsync(2);
        Assert.Equal(2, await items.ExpectNextNAsync(2).CountAsync());
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).InFlight == 6, "the source holds four more claimed items");

        await stopping.CancelAsync();
        credits.Return(6); // room again: a stopping source must not use it

        await items.RequestAsync(10);
        Assert.Equal(4, await items.ExpectNextNAsync(4).CountAsync()); // for the stream to hand back
        await items.ExpectCompleteAsync();
        Assert.Equal(6, (await harness.ProgressAsync(customer.Id)).InFlight);
    }

    [Fact]
    public async Task AStopWhileWaitingForWork_Completes_EvenIfTheWaitEndsFindingWork()
    {
        var store = default(AnswerHeldStore)!;
        await using var harness = await PipelineHarness.StartAsync(inner => store = new AnswerHeldStore(inner));
        var customer = await harness.AddCustomerAsync("acme");
        var settings = PipelineHarness.Settings(pollInterval: TimeSpan.FromHours(1));
        using var stopping = new CancellationTokenSource();

        var items = await RunAsync(harness, customer, settings, new ClaimCredits(settings.Capacity), stopping.Token);
        await items.RequestAsync(1);
        await store.Asked.Task.WaitAsync(TimeSpan.FromSeconds(5)); // nothing to claim: it waits for work

        await stopping.CancelAsync();
        store.Answer.SetResult(DateTimeOffset.UnixEpoch); // the look it had under way ends just after: something is due

        await items.ExpectCompleteAsync();
    }

    private async Task<TestSubscriber.Probe<ArchiveItem>> RunAsync(
        PipelineHarness harness, Customer customer, PipelineSettings settings, ClaimCredits credits, CancellationToken stopping)
    {
        var lease = await harness.Store.AcquireLeaseAsync(customer.Id, "test-node", TimeSpan.FromMinutes(5), CancellationToken.None)
            ?? throw new InvalidOperationException("no lease");
        return Source.FromGraph(new ItemSource(lease, settings, harness.Services, credits, stopping))
            .RunWith(this.SinkProbe<ArchiveItem>(), Sys.Materializer());
    }

    /// <summary>Holds the answer to the source's look for due work until the test gives it, whatever the cancellation.</summary>
    private sealed class AnswerHeldStore(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<DateTimeOffset?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            return Answer.Task;
        }
    }
}
