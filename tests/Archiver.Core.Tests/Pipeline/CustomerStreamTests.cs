using Akka.Streams;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Uploads;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

public sealed class CustomerStreamTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Source_NeverClaimsMoreThanDownstreamHasRoomFor()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 200);
        var gate = new TaskCompletionSource();
        harness.Target.Gate = gate.Task;
        var settings = PipelineHarness.Settings(parallelism: 2, bufferPerWorker: 3); // room for 6

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, stop.Token);
        await Eventually.TrueAsync(() => harness.Target.InFlight == 2, "both upload slots are busy");
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).InFlight == settings.Capacity, "the source fills the room it has");
        await Task.Delay(200); // give a greedy source every chance to over-claim

        var progress = await harness.ProgressAsync(customer.Id);
        Assert.Equal(settings.Capacity, progress.InFlight);
        Assert.Equal(200 - settings.Capacity, progress.Pending);

        gate.SetResult();
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 200, "all 200 are archived");
        Assert.True(harness.Target.MaxInFlight <= 2);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Source_WhenIdle_WakesOnEnqueueWithoutWaitingForThePoll()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var settings = PipelineHarness.Settings(pollInterval: TimeSpan.FromHours(1));

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, stop.Token);
        await Task.Delay(200); // the source has found nothing and sleeps for up to an hour

        await harness.EnqueueAsync(customer.Id, 1);

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 1, "the new item is archived", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Checkpoint_WritesOutcomesThatPiledUpDuringTheLastWriteInOneBatch()
    {
        var store = (HoldingFirstCheckpointStore?)null;
        await using var harness = await PipelineHarness.StartAsync(inner => store = new HoldingFirstCheckpointStore(inner));
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 100);
        var settings = PipelineHarness.Settings(parallelism: 4, bufferPerWorker: 25, checkpointBatchSize: 30);

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, stop.Token);
        await Eventually.TrueAsync(() => harness.Target.Calls >= 60, "uploads carry on while the first checkpoint is held");
        store!.Release();

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 100, "all 100 are archived");
        Assert.True(store.BatchSizes.Count < 100, $"expected fewer writes than items, got {store.BatchSizes.Count}");
        Assert.Contains(30, store.BatchSizes); // the pile-up was written at the batch size cap
        Assert.All(store.BatchSizes, size => Assert.InRange(size, 1, 30));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stream_TransientFailure_RetriesTheItemUntilItUploads()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 1);
        var failures = 0;
        harness.Target.Script = _ => Interlocked.Increment(ref failures) <= 1 ? new UploadResult.Transient("503 from Dropbox") : null;

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, PipelineHarness.Settings(), stop.Token);

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 1, "the item is archived on its second attempt");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stream_PermanentFailure_ParksTheItemAsFailedWithItsReason()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 1);
        harness.Target.Script = _ => new UploadResult.Permanent("disallowed name");

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, PipelineHarness.Settings(), stop.Token);

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Failed == 1, "the item is failed");
        var failed = (await harness.Store.ListItemsAsync(new ItemQuery(customer.Id, ItemStatus.Failed), CancellationToken.None)).Single();
        Assert.Equal("disallowed name", failed.LastError);
        var events = await harness.Store.ReadEventsAsync(new EventQuery(Type: EventTypes.ItemFailed), CancellationToken.None);
        Assert.Contains(events, e => e.ItemId == failed.Item.Id && e.Details.Contains("disallowed name", StringComparison.Ordinal));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stream_RepeatedTransientFailures_EndFailedAfterMaxAttempts()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 1);
        harness.Target.Script = _ => new UploadResult.Transient("connection reset");

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, PipelineHarness.Settings(), stop.Token);

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Failed == 1, "the item gives up");
        var failed = (await harness.Store.ListItemsAsync(new ItemQuery(customer.Id, ItemStatus.Failed), CancellationToken.None)).Single();
        Assert.Contains("gave up after 3 attempts", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(3, harness.Target.Calls);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stream_TransientFailureNotTheItemsFault_IsRetriedWithoutCountingAnAttempt()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 1);
        var failures = 0;
        harness.Target.Script = _ => Interlocked.Increment(ref failures) <= 5 // more than MaxAttempts (3)
            ? new UploadResult.Transient("access token renewed mid-stream", CountsAsAttempt: false)
            : null;

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, PipelineHarness.Settings(), stop.Token);

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 1, "the item is archived on its sixth try");
        var archived = (await harness.Store.ListItemsAsync(new ItemQuery(customer.Id, ItemStatus.Archived), CancellationToken.None)).Single();
        Assert.Equal(0, archived.Item.Attempts);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Stream_RateLimited_ItemGoesBackToPendingWithoutCountingAnAttempt()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 1);
        harness.Target.Script = _ => new UploadResult.RateLimited(TimeSpan.FromMinutes(10), "too_many_requests");

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, PipelineHarness.Settings(), stop.Token);
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Pending == 1 && harness.Target.Calls == 1, "the item is back to pending");
        await stop.CancelAsync();
        await run;

        var item = (await harness.Store.ListItemsAsync(new ItemQuery(customer.Id), CancellationToken.None)).Single();
        Assert.Equal(ItemStatus.Pending, item.Status);
        Assert.Equal(0, item.Item.Attempts);
        Assert.True(item.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(9));
    }

    [Fact]
    public async Task Stop_HandsBackQueuedItemsAndCheckpointsFinishedOnes()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 50);
        var gate = new TaskCompletionSource();
        harness.Target.Gate = gate.Task;

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, PipelineHarness.Settings(parallelism: 2, bufferPerWorker: 5), stop.Token);
        await Eventually.TrueAsync(() => harness.Target.InFlight == 2, "both upload slots are busy");
        await stop.CancelAsync();
        gate.SetResult(); // the two uploads under way finish within the drain timeout
        await run;

        var progress = await harness.ProgressAsync(customer.Id);
        Assert.Equal(2, progress.Archived);
        Assert.Equal(48, progress.Pending);
        Assert.Equal(0, progress.InFlight);
    }

    [Fact]
    public async Task Stop_UploadsStillUnderWayAtTheDrainTimeout_AreHandedBack()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 20);
        harness.Target.Gate = new TaskCompletionSource().Task; // Dropbox never answers
        var settings = PipelineHarness.Settings(parallelism: 2, bufferPerWorker: 5) with { DrainTimeout = TimeSpan.FromMilliseconds(300) };

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, stop.Token);
        await Eventually.TrueAsync(() => harness.Target.InFlight == 2, "both upload slots are busy");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var progress = await harness.ProgressAsync(customer.Id);
        Assert.Equal(20, progress.Pending);
        Assert.Equal(0, progress.InFlight);
        var items = await harness.Store.ListItemsAsync(new ItemQuery(customer.Id), CancellationToken.None);
        Assert.All(items, item => Assert.Equal(0, item.Item.Attempts));
    }

    [Fact]
    public async Task Stream_CustomerBlocked_FailsWithCustomerBlockedException()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 5);
        harness.Target.Script = _ => new UploadResult.CustomerBlocked(CustomerState.NeedsReauth, "invalid_access_token");

        using var stop = new CancellationTokenSource();
        var blocked = await Assert.ThrowsAsync<CustomerBlockedException>(
            () => StartStream(harness, customer, PipelineHarness.Settings(), stop.Token).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(CustomerState.NeedsReauth, blocked.State);
    }

    [Fact]
    public async Task Stream_CheckpointRefusedForAStaleLease_FailsWithLeaseLostException()
    {
        await using var harness = await PipelineHarness.StartAsync(inner => new RefusingCheckpointStore(inner));
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 5);

        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAsync<LeaseLostException>(
            () => StartStream(harness, customer, PipelineHarness.Settings(), stop.Token).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stream_CheckpointCrash_FailsTheWholeStreamWithTheCause()
    {
        await using var harness = await PipelineHarness.StartAsync(inner => new CrashingCheckpointStore(inner));
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 20);

        using var stop = new CancellationTokenSource();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartStream(harness, customer, PipelineHarness.Settings(), stop.Token).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("injected crash", failure.Message);
    }

    private Task StartStream(PipelineHarness harness, Customer customer, PipelineSettings settings, CancellationToken stop) =>
        Task.Run(async () =>
        {
            var lease = await harness.Store.AcquireLeaseAsync(customer.Id, "test-node", LeaseDuration, CancellationToken.None)
                ?? throw new InvalidOperationException("no lease");
            var throttle = new Throttle(settings.Throttle, TimeProvider.System);
            await CustomerStream.RunAsync(Sys.Materializer(), customer, lease, settings, harness.Services, throttle, new CustomerActivity(customer.Id), stop);
        }, CancellationToken.None);

    /// <summary>Holds the first checkpoint write open until released, and records every batch size.</summary>
    private sealed class HoldingFirstCheckpointStore(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writes;

        public List<int> BatchSizes { get; } = [];

        public void Release() => _release.TrySetResult();

        public override async Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
        {
            lock (BatchSizes)
            {
                BatchSizes.Add(outcomes.Count);
            }

            if (Interlocked.Increment(ref _writes) == 1)
            {
                await _release.Task.WaitAsync(cancellationToken);
            }

            return await base.CheckpointAsync(lease, outcomes, cancellationToken);
        }
    }

    private sealed class CrashingCheckpointStore(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("injected crash");
    }

    private sealed class RefusingCheckpointStore(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken) =>
            Task.FromResult(new CheckpointResult(Applied: 0, Rejected: outcomes.Count));
    }
}
