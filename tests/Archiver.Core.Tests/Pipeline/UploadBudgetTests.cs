using Akka.Actor;
using Archiver.Core.Control;
using Archiver.Core.Pipeline;
using Archiver.Core.Supervision;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

public sealed class UploadBudgetTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    [Fact]
    public async Task Take_BeyondCapacity_WaitsUntilASlotIsGivenBack()
    {
        using var budget = new UploadBudget(2);
        var first = await budget.TakeAsync(CancellationToken.None);
        using var second = await budget.TakeAsync(CancellationToken.None);

        var third = budget.TakeAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, budget.InUse);

        first.Dispose();
        using var _ = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, budget.InUse);
    }

    [Fact]
    public async Task Take_Cancelled_HoldsNoSlot()
    {
        using var budget = new UploadBudget(1);
        using (await budget.TakeAsync(CancellationToken.None))
        {
            using var cancel = new CancellationTokenSource();
            var waiting = budget.TakeAsync(cancel.Token).AsTask();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task Customers_ShareTheNodesBudget_NeverExceedingIt_AndAllFinish()
    {
        await using var harness = await PipelineHarness.StartAsync();
        using var budget = new UploadBudget(3);
        var services = harness.Services with { Uploads = budget };
        var gate = new TaskCompletionSource();
        harness.Target.Gate = gate.Task;
        var customers = new[] { await harness.AddCustomerAsync("acme"), await harness.AddCustomerAsync("globex") };
        await harness.EnqueueAsync(customers[0].Id, 30);
        await harness.EnqueueAsync(customers[1].Id, 30, from: 100); // the fake Dropbox is one namespace: other paths

        var actors = customers.Select(c => Sys.ActorOf(harness.CustomerProps(
            c, new CustomerActivity(c.Id), PipelineHarness.Configuration(parallelism: 4), services: services))).ToArray();

        await Eventually.TrueAsync(() => harness.Target.InFlight == 3, "the budget fills");
        await Task.Delay(100);
        Assert.Equal(3, harness.Target.InFlight); // eight workers want to upload; three may
        gate.SetResult();

        foreach (var customer in customers)
        {
            await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 30, $"{customer.Id} archives everything");
        }

        Assert.Equal(3, harness.Target.MaxInFlight);
        foreach (var actor in actors)
        {
            Watch(actor);
            actor.Tell(CustomerStopRequested.Instance);
            await ExpectTerminatedAsync(actor, TimeSpan.FromSeconds(15));
        }
    }
}
