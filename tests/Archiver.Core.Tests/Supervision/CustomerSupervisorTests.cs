using Archiver.Core.Tests.Pipeline;
using Archiver.Customers;
using Archiver.Items;
using Archiver.Pipeline;
using Archiver.Storage;
using Archiver.Supervision;
using Archiver.Testing;
using Archiver.Uploads;

namespace Archiver.Core.Tests.Supervision;

public sealed class CustomerSupervisorTests
{
    private static readonly SupervisorOptions FastRestarts = new()
    {
        RestartBaseDelay = TimeSpan.FromMilliseconds(20),
        RestartMaxDelay = TimeSpan.FromMilliseconds(100),
        LeaseDuration = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task CrashedPipeline_IsRestartedAndEveryItemIsArchivedExactlyOnce()
    {
        await using var harness = await PipelineHarness.StartAsync(inner => new CrashOnFirstCheckpointStore(inner));
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 100);
        var activity = new CustomerActivity(customer.Id);

        using var stop = new CancellationTokenSource();
        var run = Supervise(harness, customer.Id, activity, stop.Token);
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 100, "all 100 are archived");
        await stop.CancelAsync();
        await run;

        Assert.Equal(100, harness.Target.FilesOf(customer.Id).Count);
        Assert.Equal(1, activity.Snapshot().Restarts);
        var restarts = await harness.Store.ReadEventsAsync(new EventQuery(Type: EventTypes.PipelineRestarted), CancellationToken.None);
        Assert.Contains("injected crash", Assert.Single(restarts).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedCustomer_IsParkedAndItsItemsStayPending()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 20);
        harness.Target.Script = _ => new UploadResult.CustomerBlocked(CustomerState.NeedsReauth, "invalid_access_token");
        var activity = new CustomerActivity(customer.Id);

        await Supervise(harness, customer.Id, activity, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CustomerState.NeedsReauth, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State);
        var progress = await harness.ProgressAsync(customer.Id);
        Assert.Equal(20, progress.Pending);
        Assert.Equal(0, progress.Failed);
        Assert.Equal(PipelinePhases.Parked, activity.Snapshot().Phase);
    }

    [Fact]
    public async Task OneCustomersCrashes_DoNotStopAnother()
    {
        await using var harness = await PipelineHarness.StartAsync(inner => new AlwaysCrashingStore(inner, new CustomerId("broken")));
        var broken = await harness.AddCustomerAsync("broken");
        var healthy = await harness.AddCustomerAsync("healthy");
        await harness.EnqueueAsync(broken.Id, 10);
        await harness.EnqueueAsync(healthy.Id, 50);

        using var stop = new CancellationTokenSource();
        var runs = new[]
        {
            Supervise(harness, broken.Id, new CustomerActivity(broken.Id), stop.Token),
            Supervise(harness, healthy.Id, new CustomerActivity(healthy.Id), stop.Token),
        };
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(healthy.Id)).Archived == 50, "the healthy customer finishes");
        await stop.CancelAsync();
        await Task.WhenAll(runs);

        Assert.Equal(0, (await harness.ProgressAsync(broken.Id)).Archived);
    }

    private static Task Supervise(PipelineHarness harness, CustomerId customer, CustomerActivity activity, CancellationToken stop) =>
        new CustomerSupervisor(customer, "test-node", PipelineHarness.Configuration(), FastRestarts, harness.Services, harness.Leases, activity).RunAsync(stop);

    private sealed class CrashOnFirstCheckpointStore(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        private int _checkpoints;

        public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _checkpoints) == 1
                ? throw new InvalidOperationException("injected crash")
                : base.CheckpointAsync(lease, outcomes, cancellationToken);
    }

    private sealed class AlwaysCrashingStore(IArchiveStore inner, CustomerId victim) : DelegatingArchiveStore(inner)
    {
        public override Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken) =>
            lease.Customer == victim
                ? throw new InvalidOperationException("injected crash")
                : base.ClaimAsync(lease, afterId, max, cancellationToken);
    }
}
