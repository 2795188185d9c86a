using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Actor;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Core.Uploads;
using Archiver.Testing;

namespace Archiver.Core.Tests.Supervision;

public sealed partial class CustomerActorTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(15);

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

        var actor = Serve(harness, customer, activity, FastRestarts);
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 100, "all 100 are archived");
        await StopAsync(actor);

        Assert.Equal(100, harness.Target.FilesOf(customer.Id).Count);
        Assert.Equal(1, activity.Snapshot().Restarts);
        var restarts = await harness.Store.ReadEventsAsync(new EventQuery(Type: EventTypes.PipelineRestarted), CancellationToken.None);
        Assert.Contains("injected crash", Assert.Single(restarts).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedCustomer_IsParked_HandsItsLeaseBack_AndItsItemsStayPending()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 20);
        harness.Target.Script = _ => new UploadResult.CustomerBlocked(CustomerState.NeedsReauth, "invalid_access_token");
        var activity = new CustomerActivity(customer.Id);

        var actor = Serve(harness, customer, activity, FastRestarts);
        await Eventually.TrueAsync(
            async () => (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State == CustomerState.NeedsReauth,
            "the customer is parked in the store");
        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Parked, "its actor shows it parked");

        var progress = await harness.ProgressAsync(customer.Id);
        Assert.Equal(20, progress.Pending);
        Assert.Equal(0, progress.Failed);
        Assert.Equal(PipelinePhases.Parked, activity.Snapshot().Phase);
        await Eventually.TrueAsync(
            async () => await harness.Store.AcquireLeaseAsync(customer.Id, "other-node", TimeSpan.FromMinutes(1), CancellationToken.None) is not null,
            "the lease is handed back");
        await StopAsync(actor); // a parked customer's actor stays, serving nothing, until the node stops it
    }

    [Fact]
    public async Task OneCustomersCrashes_DoNotStopAnother()
    {
        await using var harness = await PipelineHarness.StartAsync(inner => new AlwaysCrashingStore(inner, new CustomerId("broken")));
        var broken = await harness.AddCustomerAsync("broken");
        var healthy = await harness.AddCustomerAsync("healthy");
        await harness.EnqueueAsync(broken.Id, 10);
        await harness.EnqueueAsync(healthy.Id, 50);

        var actors = new[]
        {
            Serve(harness, broken, new CustomerActivity(broken.Id), FastRestarts),
            Serve(harness, healthy, new CustomerActivity(healthy.Id), FastRestarts),
        };
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(healthy.Id)).Archived == 50, "the healthy customer finishes");
        foreach (var actor in actors)
        {
            await StopAsync(actor);
        }

        Assert.Equal(0, (await harness.ProgressAsync(broken.Id)).Archived);
    }

    [Fact]
    public async Task ACustomerWhosePipelineKeepsFailing_IsRestartedWithGrowingBackoff_WhileFourOthersArchiveEverything()
    {
        await using var harness = await PipelineHarness.StartAsync(inner => new AlwaysCrashingStore(inner, new CustomerId("broken")));
        var backoff = new SupervisorOptions { RestartBaseDelay = TimeSpan.FromMilliseconds(200), RestartMaxDelay = TimeSpan.FromSeconds(10) };
        var broken = await harness.AddCustomerAsync("broken");
        await harness.EnqueueAsync(broken.Id, 10);
        var healthy = new List<Customer>();
        for (var i = 0; i < 4; i++)
        {
            healthy.Add(await harness.AddCustomerAsync($"healthy-{i}"));
            await harness.EnqueueAsync(healthy[i].Id, 50, from: (i + 1) * 1000); // the fake Dropbox is one namespace
        }

        var actors = healthy.Select(c => Serve(harness, c, new CustomerActivity(c.Id), backoff))
            .Append(Serve(harness, broken, new CustomerActivity(broken.Id), backoff)).ToArray();
        foreach (var customer in healthy)
        {
            await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 50, $"{customer.Id} archives everything");
        }

        await Eventually.TrueAsync(async () => (await RestartsOfAsync(harness, broken.Id)).Count >= 4, "the failing customer is restarted again and again");
        foreach (var actor in actors)
        {
            await StopAsync(actor);
        }

        var restarts = (await RestartsOfAsync(harness, broken.Id)).Take(4).Select(ParseRestart).ToArray();
        Assert.Equal([1, 2, 3, 4], restarts.Select(r => r.Number));
        // The n-th restart waits half to all of 0.2 s doubled per earlier crash (0.2, 0.4, 0.8, 1.6 s): the windows
        // follow one another, so each wait is longer than the last. The journal rounds to 0.1 s.
        Assert.All(restarts, r =>
        {
            var nominal = 0.2 * Math.Pow(2, r.Number - 1);
            Assert.InRange(r.Delay, (nominal / 2) - 0.05, nominal + 0.05);
        });
        Assert.Equal(10, (await harness.ProgressAsync(broken.Id)).Pending);
        Assert.Equal(200, harness.Target.Files.Count);
        Assert.All(harness.Target.Files, f => Assert.Equal(1, f.Uploads));
    }

    private static async Task<IReadOnlyList<ArchiveEvent>> RestartsOfAsync(PipelineHarness harness, CustomerId customer) =>
        (await harness.Store.ReadEventsAsync(new EventQuery(Limit: 1000, Customer: customer, Type: EventTypes.PipelineRestarted), CancellationToken.None))
        .OrderBy(e => e.Sequence).ToArray();

    private static (int Number, double Delay) ParseRestart(ArchiveEvent restart)
    {
        var match = RestartDetails().Match(restart.Details);
        Assert.True(match.Success, restart.Details);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"restart #(\d+) in ([\d.]+) s$")]
    private static partial Regex RestartDetails();

    private IActorRef Serve(PipelineHarness harness, Customer customer, CustomerActivity activity, SupervisorOptions options)
    {
        var actor = Sys.ActorOf(harness.CustomerProps(customer, activity, options: options));
        Watch(actor);
        return actor;
    }

    private async Task StopAsync(IActorRef actor)
    {
        actor.Tell(CustomerStopRequested.Instance);
        await ExpectTerminatedAsync(actor, Drain);
    }

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
