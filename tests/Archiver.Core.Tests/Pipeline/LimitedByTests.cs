using Akka.Actor;
using Akka.Streams;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Supervision;
using Archiver.Core.Uploads;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

/// <summary>What status says holds a customer below its limit, measured on real streams against the in-memory Dropbox.</summary>
public sealed class LimitedByTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task OneUploadSlotAndASlowDropbox_AreParallelismBound_WithTheSlotsItsRateNeeds()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 200);
        harness.Target.Latency = TimeSpan.FromMilliseconds(100);
        var settings = PipelineHarness.Settings(parallelism: 1);
        var activity = new CustomerActivity(customer.Id);

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, activity, stop.Token);
        await Eventually.TrueAsync(() => harness.Target.Calls >= 5, "a few uploads have finished");

        var snapshot = activity.Snapshot();
        Assert.Equal(LimitedBy.Parallelism, snapshot.LimitedBy);
        Assert.Equal(1, snapshot.Load!.Parallelism);
        Assert.NotNull(snapshot.Load.UploadSeconds);
        Assert.True(snapshot.Load.SlotsNeededAt(snapshot.CurrentRate!.Value) > 1, $"its rate needs more slots than it has: {snapshot.Load}");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task SlotsToSpareBelowItsRate_AreAtLimit()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 500); // far more than 20/s archives while the test looks
        var settings = PipelineHarness.Configuration(parallelism: 4, ratePerSecond: 20).For(customer);
        var activity = new CustomerActivity(customer.Id);

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, activity, stop.Token);
        await Eventually.TrueAsync(() => harness.Target.Calls >= 10, "uploads go at the throttle's pace");

        var snapshot = activity.Snapshot();
        Assert.Equal(LimitedBy.Rate, snapshot.LimitedBy);
        Assert.True(snapshot.Load!.SlotsFullShare < LimitedByRule.MostOfTheWindow);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task ARunningStreamWithNothingDue_HasNoWork()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var settings = PipelineHarness.Settings(pollInterval: TimeSpan.FromHours(1));
        var activity = new CustomerActivity(customer.Id);

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, activity, stop.Token);
        await Eventually.TrueAsync(() => activity.Snapshot().LimitedBy == LimitedBy.NoWork, "the source waits for work");

        Assert.True(activity.Snapshot().Load!.WaitingForWorkShare >= LimitedByRule.MostOfTheWindow);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A429_IsLimitedByDropbox_WhileItsRetryAfterLasts()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        await harness.EnqueueAsync(customer.Id, 20);
        harness.Target.Script = _ => new UploadResult.RateLimited(TimeSpan.FromMinutes(10), "too_many_requests");
        var settings = PipelineHarness.Settings();
        var activity = new CustomerActivity(customer.Id);

        using var stop = new CancellationTokenSource();
        var run = StartStream(harness, customer, settings, activity, stop.Token);
        await Eventually.TrueAsync(() => activity.Snapshot().RateLimited >= 1, "Dropbox answers 429");

        var snapshot = activity.Snapshot();
        Assert.Equal(LimitedBy.Dropbox, snapshot.LimitedBy);
        Assert.NotNull(snapshot.PausedUntil);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void AThrottleCutBy429s_IsLimitedByDropbox_UntilItClimbsBackToItsCeiling()
    {
        var time = new ManualTimeProvider();
        var limits = ThrottleLimits.For(ratePerSecond: 20, burst: 10);
        var throttle = new Throttle(limits, time);
        var activity = Running(new CustomerActivity(new CustomerId("acme"), time), throttle);
        activity.MeasureLoad(parallelism: 4);

        throttle.OnRateLimited(TimeSpan.FromSeconds(2));
        var paused = activity.Snapshot();
        time.Advance(TimeSpan.FromSeconds(3));
        var cut = activity.Snapshot();
        for (var second = 0; second < 30; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            throttle.OnAccepted();
        }

        var recovered = activity.Snapshot();

        Assert.Equal((LimitedBy.Dropbox, LimitedBy.Dropbox, LimitedBy.Rate), (paused.LimitedBy, cut.LimitedBy, recovered.LimitedBy));
        Assert.Null(cut.PausedUntil);
        Assert.True(cut.CurrentRate < limits.RatePerSecond);
    }

    [Fact]
    public async Task TwoCustomersSharingANodeBudgetOfOne_AreBoundByTheNodesUploadBudget()
    {
        await using var harness = await PipelineHarness.StartAsync();
        using var budget = new UploadBudget(1);
        var services = harness.Services with { Uploads = budget };
        var gate = new TaskCompletionSource();
        harness.Target.Gate = gate.Task; // the one upload the budget lets through holds its place
        var customers = new[] { await harness.AddCustomerAsync("acme"), await harness.AddCustomerAsync("globex") };
        await harness.EnqueueAsync(customers[0].Id, 30);
        await harness.EnqueueAsync(customers[1].Id, 30, from: 100);
        var activities = customers.Select(c => new CustomerActivity(c.Id)).ToArray();
        var actors = customers.Select((c, i) => Sys.ActorOf(harness.CustomerProps(
            c, activities[i], PipelineHarness.Configuration(parallelism: 4), services: services))).ToArray();

        foreach (var activity in activities)
        {
            await Eventually.TrueAsync(() => activity.Snapshot().LimitedBy == LimitedBy.NodeUploadBudget, $"{activity.Customer} waits for the node's budget");
            Assert.True(activity.Snapshot().Load!.BudgetWaitShare >= LimitedByRule.MeaningfulBudgetWait);
        }

        gate.SetResult();
        foreach (var actor in actors)
        {
            Watch(actor);
            actor.Tell(CustomerStopRequested.Instance);
            await ExpectTerminatedAsync(actor, TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public async Task ACustomerWhosePipelineIsDownForWantOfWork_HasNoWork()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var activity = new CustomerActivity(customer.Id);
        var actor = Sys.ActorOf(harness.CustomerProps(customer, activity, PipelineHarness.Configuration(pollInterval: TimeSpan.FromHours(1))));

        await Eventually.TrueAsync(() => activity.Snapshot().Phase == PipelinePhases.Idle, "the customer waits for work without a pipeline");

        Assert.Equal(LimitedBy.NoWork, activity.Snapshot().LimitedBy);
        Assert.Null(activity.Snapshot().Load);
        Watch(actor);
        actor.Tell(CustomerStopRequested.Instance);
        await ExpectTerminatedAsync(actor, TimeSpan.FromSeconds(15));
    }

    /// <summary>The activity as the customer's actor keeps it while a pipeline runs: phase and throttle.</summary>
    private static CustomerActivity Running(CustomerActivity activity, Throttle throttle)
    {
        activity.UseThrottle(throttle);
        activity.Phase(PipelinePhases.Running);
        return activity;
    }

    private Task StartStream(PipelineHarness harness, Customer customer, PipelineSettings settings, CustomerActivity activity, CancellationToken stop) =>
        Task.Run(async () =>
        {
            var lease = await harness.Store.AcquireLeaseAsync(customer.Id, "test-node", LeaseDuration, CancellationToken.None)
                ?? throw new InvalidOperationException("no lease");
            var throttle = new Throttle(settings.Throttle, TimeProvider.System);
            await CustomerStream.RunAsync(Sys.Materializer(), customer, lease, settings, harness.Services, throttle, Running(activity, throttle), stop);
        }, CancellationToken.None);
}
