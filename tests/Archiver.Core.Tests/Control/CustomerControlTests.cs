using Akka.Actor;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Core.Uploads;
using Archiver.Testing;

namespace Archiver.Core.Tests.Control;

/// <summary>
/// A customer's control state recovered from its journal (Akka's in-memory journal, which outlives the actors of one
/// actor system): a new incarnation of the control, as after a node restart, starts where the previous one left off.
/// </summary>
public sealed class CustomerControlTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task LearnedRate_IsRecoveredFromTheJournal_AndTheNextThrottleStartsAtIt()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var elsewhere = await HoldLeaseElsewhereAsync(harness, customer); // the first incarnation's actor never gets a throttle to report
        var configuration = PipelineHarness.Configuration(ratePerSecond: 100);

        var first = Control(harness, customer, configuration, new CustomerActivity(customer.Id));
        first.Tell(new LearnedLimitObserved(12.5, 100));
        await StopAsync(first);

        await harness.Store.ReleaseLeaseAsync(elsewhere, CancellationToken.None);
        var activity = new CustomerActivity(customer.Id);
        var second = Control(harness, customer, configuration, activity);
        await Eventually.TrueAsync(() => activity.Snapshot().CurrentRate is not null, "the recovered customer's throttle exists");
        Assert.Equal(RateController.Hold * 12.5, activity.Snapshot().CurrentRate); // held just below what was learned
        await StopAsync(second);
    }

    [Fact]
    public async Task LearnedRate_AboveALoweredCeiling_StartsAtTheNewCeiling()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var elsewhere = await HoldLeaseElsewhereAsync(harness, customer); // the first incarnation's actor never gets a throttle to report

        var first = Control(harness, customer, PipelineHarness.Configuration(ratePerSecond: 100), new CustomerActivity(customer.Id));
        first.Tell(new LearnedLimitObserved(40, 100));
        await StopAsync(first);

        await harness.Store.ReleaseLeaseAsync(elsewhere, CancellationToken.None);
        var activity = new CustomerActivity(customer.Id);
        var second = Control(harness, customer, PipelineHarness.Configuration(ratePerSecond: 20), activity);
        await Eventually.TrueAsync(() => activity.Snapshot().CurrentRate is not null, "the recovered customer's throttle exists");
        Assert.Equal(20, activity.Snapshot().CurrentRate);
        await StopAsync(second);
    }

    [Fact]
    public async Task LearnedLimitMovesBelowTwoPercent_AreNotJournaled()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var elsewhere = await HoldLeaseElsewhereAsync(harness, customer); // the first incarnation's actor never gets a throttle to report
        var configuration = PipelineHarness.Configuration(ratePerSecond: 100);

        var first = Control(harness, customer, configuration, new CustomerActivity(customer.Id));
        first.Tell(new LearnedLimitObserved(20, 100));
        first.Tell(new LearnedLimitObserved(20.3, 100)); // 1.5 % above the last record
        first.Tell(new LearnedLimitObserved(95, 100)); // from 20: journaled
        first.Tell(new LearnedLimitObserved(96, 100)); // 1 % above it: not
        await StopAsync(first);

        await harness.Store.ReleaseLeaseAsync(elsewhere, CancellationToken.None);
        var activity = new CustomerActivity(customer.Id);
        var second = Control(harness, customer, configuration, activity);
        await Eventually.TrueAsync(() => activity.Snapshot().CurrentRate is not null, "the recovered customer's throttle exists");
        Assert.Equal(RateController.Hold * 95, activity.Snapshot().CurrentRate);
        await StopAsync(second);
    }

    [Fact]
    public async Task OperatorPause_IsJournaledAndWrittenToTheStore_AndAfterRecoveryTheJournalDecides()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var configuration = PipelineHarness.Configuration();

        var first = Control(harness, customer, configuration, new CustomerActivity(customer.Id));
        first.Tell(new LifecycleCommand(customer.Id, CustomerState.Paused, "paused by an operator"), TestActor);
        Assert.True(ExpectMsg<LifecycleCommandDone>(TimeSpan.FromSeconds(10)).Recorded);
        Assert.Equal(CustomerState.Paused, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State);
        await StopAsync(first);

        // The read model set back to active behind the node's back: the journal says paused.
        await harness.Store.SetCustomerStateAsync(customer.Id, CustomerState.Active, "changed behind the node's back", CancellationToken.None);
        await harness.EnqueueAsync(customer.Id, 5);
        var activity = new CustomerActivity(customer.Id);
        var stale = (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!;
        var second = Control(harness, stale, configuration, activity);

        await Eventually.TrueAsync(
            async () => (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State == CustomerState.Paused,
            "the recovered control writes its journaled pause back to the store");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(5, (await harness.ProgressAsync(customer.Id)).Pending); // not served
        Assert.Null(activity.Snapshot().CurrentRate);

        second.Tell(new LifecycleCommand(customer.Id, CustomerState.Active, "resumed by an operator"), TestActor);
        Assert.True(ExpectMsg<LifecycleCommandDone>(TimeSpan.FromSeconds(10)).Recorded);
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 5, "resumed, its items are archived");
        await StopAsync(second);
    }

    [Fact]
    public async Task PauseSeenInTheStore_AnotherNodesCommand_IsJournaledAndKeptAfterRecovery()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var configuration = PipelineHarness.Configuration();

        var first = Control(harness, customer, configuration, new CustomerActivity(customer.Id));
        await harness.Store.SetCustomerStateAsync(customer.Id, CustomerState.Paused, "paused by an operator", CancellationToken.None);
        first.Tell(new CustomerReconfigured(configuration, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!));
        await StopAsync(first);

        await harness.Store.SetCustomerStateAsync(customer.Id, CustomerState.Active, "changed behind the node's back", CancellationToken.None);
        await harness.EnqueueAsync(customer.Id, 3);
        var second = Control(harness, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!, configuration, new CustomerActivity(customer.Id));
        await Eventually.TrueAsync(
            async () => (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State == CustomerState.Paused,
            "the journaled pause is written back to the store");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(3, (await harness.ProgressAsync(customer.Id)).Pending);
        await StopAsync(second);
    }

    [Fact]
    public async Task CustomerPausedBeforeItsControlStarted_ShowsAsStopped_NotAsStarting()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.Store.SetCustomerStateAsync(customer.Id, CustomerState.Paused, "paused by an operator", CancellationToken.None);
        var activity = new CustomerActivity(customer.Id);

        var control = Control(harness, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!, PipelineHarness.Configuration(), activity);

        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Stopped, "the paused customer shows as stopped");
        await StopAsync(control);
    }

    [Fact]
    public async Task Parking_IsJournaled_SoARecoveredControlDoesNotServeTheCustomer()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var configuration = PipelineHarness.Configuration();
        await harness.EnqueueAsync(customer.Id, 1);
        harness.Target.Script = _ => new UploadResult.CustomerBlocked(CustomerState.StorageFull, "insufficient_space");

        var firstActivity = new CustomerActivity(customer.Id);
        var first = Control(harness, customer, configuration, firstActivity);
        await Eventually.TrueAsync(() => firstActivity.Snapshot().Phase == PipelinePhases.Parked, "Dropbox's refusal parks the customer");
        await StopAsync(first);

        harness.Target.Script = _ => null;
        await harness.Store.SetCustomerStateAsync(customer.Id, CustomerState.Active, "changed behind the node's back", CancellationToken.None);
        await harness.EnqueueAsync(customer.Id, 2, from: 1);
        var activity = new CustomerActivity(customer.Id);
        var second = Control(harness, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!, configuration, activity);
        await Eventually.TrueAsync(
            async () => (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State == CustomerState.StorageFull,
            "the journaled parking reaches the store");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(3, (await harness.ProgressAsync(customer.Id)).Pending);
        Assert.Equal(PipelinePhases.Parked, activity.Snapshot().Phase);
        await StopAsync(second);
    }

    [Fact]
    public async Task StateSnapshottedEveryFewEvents_RecoversTheSameAsFromEveryEvent()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var elsewhere = await HoldLeaseElsewhereAsync(harness, customer); // the first incarnation's actor never gets a throttle to report
        var configuration = PipelineHarness.Configuration(ratePerSecond: 100);
        var everySecondEvent = new PersistenceOptions { SnapshotEvery = 2 };

        var first = Control(harness, customer, configuration, new CustomerActivity(customer.Id), everySecondEvent);
        foreach (var rate in new[] { 50.0, 25, 12, 30, 60, 15, 7 })
        {
            first.Tell(new LearnedLimitObserved(rate, 100));
        }

        first.Tell(new LifecycleCommand(customer.Id, CustomerState.Paused, "paused by an operator"), TestActor);
        ExpectMsg<LifecycleCommandDone>(TimeSpan.FromSeconds(10));
        first.Tell(new LifecycleCommand(customer.Id, CustomerState.Active, "resumed by an operator"), TestActor);
        ExpectMsg<LifecycleCommandDone>(TimeSpan.FromSeconds(10));
        await StopAsync(first);

        await harness.Store.ReleaseLeaseAsync(elsewhere, CancellationToken.None);
        var activity = new CustomerActivity(customer.Id);
        var second = Control(harness, customer, configuration, activity, everySecondEvent);
        await Eventually.TrueAsync(() => activity.Snapshot().CurrentRate is not null, "the recovered customer's throttle exists");
        Assert.Equal(RateController.Hold * 7, activity.Snapshot().CurrentRate);
        Assert.Equal(CustomerState.Active, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State);
        await StopAsync(second);
    }

    private IActorRef Control(
        PipelineHarness harness, Customer customer, PipelineConfiguration configuration, CustomerActivity activity, PersistenceOptions? persistence = null) =>
        Sys.ActorOf(harness.CustomerProps(customer, activity, configuration, persistence: persistence));

    private static async Task<Lease> HoldLeaseElsewhereAsync(PipelineHarness harness, Customer customer) =>
        (await harness.Store.AcquireLeaseAsync(customer.Id, "other-node", TimeSpan.FromMinutes(1), CancellationToken.None))!;

    private async Task StopAsync(IActorRef control)
    {
        Watch(control);
        control.Tell(CustomerStopRequested.Instance);
        await ExpectTerminatedAsync(control, Stop);
        Unwatch(control);
    }
}
