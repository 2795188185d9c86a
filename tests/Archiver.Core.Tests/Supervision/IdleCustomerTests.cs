using Akka.Actor;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Core.Uploads;
using Archiver.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Supervision;

/// <summary>A customer with nothing to do is served by a wait for work, not by a running pipeline.</summary>
public sealed class IdleCustomerTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    private static readonly SupervisorOptions Options = new() { RestartBaseDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task AQuietCustomer_HoldsItsLeaseWithoutAPipeline_AndItsFirstItemIsArchivedAtOnce()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var leases = new LeaseKeeper(harness.Store, harness.Store, Options.LeaseDuration, NullLogger.Instance);
        var actor = Serve(harness.CustomerProps(customer, activity, PipelineHarness.Configuration(pollInterval: TimeSpan.FromHours(1)), Options, leases));

        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Idle, "the customer waits for work");
        Assert.Equal(1, leases.Count); // kept renewed while idle
        Assert.NotNull(activity.Snapshot().CurrentRate); // its throttle is there for status and reconfiguration

        await harness.EnqueueAsync(customer.Id, 5); // only the enqueue can wake it: the poll is an hour away
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 5, "the items are archived");
        Assert.Equal(PipelinePhases.Running, activity.Snapshot().Phase); // it lingers for IdleAfter
        await StopAsync(actor);
    }

    [Fact]
    public async Task APipelineIdleForIdleAfter_IsTakenDown_AndBroughtBackByTheNextItem_WithoutARestart()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var configuration = PipelineHarness.Configuration(pollInterval: TimeSpan.FromHours(1), idleAfter: TimeSpan.FromMilliseconds(100));
        await harness.EnqueueAsync(customer.Id, 5);
        var actor = Serve(harness.CustomerProps(customer, activity, configuration, Options));

        for (var round = 1; round <= 3; round++)
        {
            await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 5 * round, $"round {round} is archived");
            await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Idle, "the pipeline is taken down");
            await harness.EnqueueAsync(customer.Id, 5, from: 5 * round);
        }

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 20, "the last round is archived");
        Assert.All(harness.Target.FilesOf(customer.Id), f => Assert.Equal(1, f.Uploads));
        Assert.Equal(0, activity.Snapshot().Restarts);
        var started = await harness.Store.ReadEventsAsync(new EventQuery(Customer: customer.Id, Type: EventTypes.PipelineStarted), CancellationToken.None);
        Assert.Single(started); // one lease, one start: idle spells are not journaled
        await StopAsync(actor);
    }

    [Fact]
    public async Task ARetryFallingDueWhileIdle_BringsThePipelineBackOnTime()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var failures = 0;
        harness.Target.Script = _ => Interlocked.Increment(ref failures) == 1 ? new UploadResult.Transient("503 from Dropbox") : null;
        var activity = new CustomerActivity(customer.Id);
        var configuration = PipelineHarness.Configuration(pollInterval: TimeSpan.FromHours(1), idleAfter: TimeSpan.Zero);
        await harness.EnqueueAsync(customer.Id, 1);
        var actor = Serve(harness.CustomerProps(customer, activity, configuration, Options));

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 1, "the retried item is archived");
        Assert.Equal(2, failures); // one transient failure, then the retry that succeeded
        await StopAsync(actor);
    }

    [Fact]
    public async Task ALostLease_EndsAnIdleCustomersLife_WhichWaitsForTheLeaseAgain()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var shortLeases = new SupervisorOptions { RestartBaseDelay = TimeSpan.FromMilliseconds(10), LeaseDuration = TimeSpan.FromMilliseconds(300) };
        var leases = new LeaseKeeper(harness.Store, harness.Store, shortLeases.LeaseDuration, NullLogger.Instance); // renews only when told
        var actor = Serve(harness.CustomerProps(customer, activity, PipelineHarness.Configuration(), shortLeases, leases));
        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Idle, "the customer waits for work");

        // The lease lapses, as a paused node's would, and another node takes it; the next renewal is refused.
        await Eventually.TrueAsync(
            async () => await harness.Store.AcquireLeaseAsync(customer.Id, "other-node", TimeSpan.FromMinutes(1), CancellationToken.None) is not null,
            "the other node takes the lease");
        await leases.RenewAllAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.WaitingForLease, "the customer waits for the other node's lease");
        var lost = await harness.Store.ReadEventsAsync(new EventQuery(Customer: customer.Id, Type: EventTypes.LeaseLost), CancellationToken.None);
        Assert.Single(lost);
        Assert.Equal(0, leases.Count);
        await StopAsync(actor);
    }

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
