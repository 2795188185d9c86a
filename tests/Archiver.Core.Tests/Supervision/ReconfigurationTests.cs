using Akka.Actor;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Testing;

namespace Archiver.Core.Tests.Supervision;

public sealed class ReconfigurationTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    private static readonly SupervisorOptions Options = new() { RestartBaseDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task ANewRate_ReachesTheThrottle_WithoutRestartingThePipeline()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var actor = Serve(harness.CustomerProps(customer, activity, PipelineHarness.Configuration(ratePerSecond: 500), Options));
        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Idle, "the customer is served, waiting for work");

        actor.Tell(new CustomerReconfigured(PipelineHarness.Configuration(ratePerSecond: 20)));

        await AwaitAssertAsync(() => Assert.Equal(20, activity.Snapshot().CurrentRate));
        await harness.EnqueueAsync(customer.Id, 10);
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 10, "items archive at the new rate");
        Assert.Equal(1, await CountEventsAsync(harness.Store, customer.Id, EventTypes.PipelineStarted));
        await StopAsync(actor);
    }

    [Fact]
    public async Task ANewParallelism_RestartsThePipelineGracefully_LosingNothing()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var actor = Serve(harness.CustomerProps(customer, activity, PipelineHarness.Configuration(parallelism: 1), Options));
        var first = new TaskCompletionSource();
        harness.Target.Gate = first.Task; // uploads wait until the test lets them go
        await harness.EnqueueAsync(customer.Id, 40);
        await Eventually.TrueAsync(() => harness.Target.InFlight == 1, "one upload is under way");

        var second = new TaskCompletionSource();
        harness.Target.Gate = second.Task;
        actor.Tell(new CustomerReconfigured(PipelineHarness.Configuration(parallelism: 4)));
        first.SetResult(); // the draining pipeline finishes its upload and checkpoints it
        await Eventually.TrueAsync(() => harness.Target.InFlight == 4, "the restarted pipeline runs four uploads at once");
        second.SetResult();

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 40, "every item is archived");
        Assert.Equal(2, await CountEventsAsync(harness.Store, customer.Id, EventTypes.PipelineStarted));
        Assert.Equal(4, harness.Target.MaxInFlight);
        Assert.All(harness.Target.FilesOf(customer.Id), f => Assert.Equal(1, f.Uploads));
        Assert.Equal(0, activity.Snapshot().Restarts); // a planned restart is not a crash
        await StopAsync(actor);
    }

    [Fact]
    public async Task AChangedStoredTuning_IsPickedUpFromTheFresherCustomerRecord()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var configuration = PipelineHarness.Configuration(ratePerSecond: 500);
        var actor = Serve(harness.CustomerProps(customer, activity, configuration, Options));
        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Idle, "the customer is served, waiting for work");

        var updated = await harness.Store.UpdateCustomerAsync(customer.Id, new CustomerUpdate(Tuning: new CustomerTuning(RatePerSecond: 7)), CancellationToken.None);
        actor.Tell(new CustomerReconfigured(configuration, updated));

        await AwaitAssertAsync(() => Assert.Equal(7, activity.Snapshot().CurrentRate));
        await StopAsync(actor);
    }

    private static async Task<int> CountEventsAsync(IArchiveStore store, CustomerId customer, string type) =>
        (await store.ReadEventsAsync(new EventQuery(Limit: 1000, Customer: customer, Type: type), CancellationToken.None)).Count(e => e.Type == type);

    private IActorRef Serve(Props props)
    {
        var actor = Sys.ActorOf(props);
        Watch(actor);
        return actor;
    }

    private async Task StopAsync(IActorRef actor)
    {
        actor.Tell(CustomerStopRequested.Instance);
        await ExpectTerminatedAsync(actor, TimeSpan.FromSeconds(15));
    }
}
