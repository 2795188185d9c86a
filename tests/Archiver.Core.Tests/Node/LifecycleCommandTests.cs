using Akka.Actor;
using Akka.Configuration;
using Archiver.Core.Cluster;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Testing;
using Microsoft.Extensions.Options;

namespace Archiver.Core.Tests.Node;

/// <summary>An operator's pause or resume handed to a node: recorded by the customer's actor, wherever the cluster runs it.</summary>
public sealed class LifecycleCommandTests
{
    [Fact]
    public async Task PauseOfACustomer_IsRecordedByItsActor_AndStopsItsArchiving()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = await harness.AddCustomerAsync("acme");
        var (node, system) = Start(harness);
        try
        {
            await Eventually.TrueAsync(() => node.OwnedCustomers().Contains(customer.Id), "the node serves acme");

            Assert.True(await node.ChangeLifecycleAsync(customer.Id, CustomerState.Paused, "paused by an operator", TimeSpan.FromSeconds(10), CancellationToken.None));

            Assert.Equal(CustomerState.Paused, (await harness.Store.GetCustomerAsync(customer.Id, CancellationToken.None))!.State);
            await harness.EnqueueAsync(customer.Id, 5);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.Equal(5, (await harness.ProgressAsync(customer.Id)).Pending);

            Assert.True(await node.ChangeLifecycleAsync(customer.Id, CustomerState.Active, "resumed by an operator", TimeSpan.FromSeconds(10), CancellationToken.None));
            await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Archived == 5, "resumed, acme's items are archived");
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

    [Fact]
    public async Task CommandForACustomerNotInTheStore_IsNotRecorded()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var (node, system) = Start(harness);
        try
        {
            Assert.False(await node.ChangeLifecycleAsync(new CustomerId("elsewhere"), CustomerState.Paused, "paused by an operator", TimeSpan.FromSeconds(10), CancellationToken.None));
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

    private static (ArchiverNode Node, ActorSystem System) Start(PipelineHarness harness)
    {
        var node = new ArchiverNode(
            harness.Services,
            PipelineHarness.Configuration(),
            Options.Create(new SupervisorOptions()),
            Options.Create(new NodeOptions { NodeId = "node-a", RefreshInterval = TimeSpan.FromMilliseconds(100) }));
        var system = ActorSystem.Create("archiver", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(ClusterSettings.For(new ClusterOptions())).WithFallback(ControlPersistence.InMemory)); // a cluster of one
        node.Start(system);
        return (node, system);
    }
}
