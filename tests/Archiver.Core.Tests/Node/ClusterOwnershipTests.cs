using Akka.Actor;
using Akka.Configuration;
using Archiver.Core.Cluster;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Testing;
using Microsoft.Extensions.Options;

namespace Archiver.Core.Tests.Node;

/// <summary>
/// Two nodes in one process, each in its own actor system, sharing one store and one journal: customers sharded over
/// the cluster, handed off when a node leaves.
/// </summary>
public sealed class ClusterOwnershipTests
{
    private const int CustomerCount = 12;
    private const int ItemsPerCustomer = 20;

    [Fact]
    public async Task TwoNodes_SplitTheCustomers_EachRunningOnExactlyOne_AndArchiveEverythingOnce()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customers = await AddCustomersAsync(harness);
        await using var a = StartNode(harness, "node-a");
        await using var b = StartNode(harness, "node-b");

        await Eventually.TrueAsync(
            () => a.Node.OwnedCustomers().Count + b.Node.OwnedCustomers().Count == CustomerCount
                && a.Node.OwnedCustomers().Count > 0 && b.Node.OwnedCustomers().Count > 0,
            "both nodes own some customers and together all of them",
            TimeSpan.FromSeconds(60)); // shards move towards the second node one per rebalance round, slower on a loaded machine
        Assert.Empty(a.Node.OwnedCustomers().Intersect(b.Node.OwnedCustomers()));

        foreach (var (customer, index) in customers.Select((c, i) => (c, i)))
        {
            await harness.EnqueueAsync(customer, ItemsPerCustomer, from: index * 1000); // the fake Dropbox is one namespace
        }

        await Eventually.TrueAsync(async () => await ArchivedAsync(harness) == CustomerCount * ItemsPerCustomer, "every item is archived");
        Assert.All(harness.Target.Files, f => Assert.Equal(1, f.Uploads));
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task ANodeThatLeaves_HandsItsCustomersToTheOther_WhichFinishesTheirWork()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await AddCustomersAsync(harness);
        await using var a = StartNode(harness, "node-a");
        await using var b = StartNode(harness, "node-b");
        await Eventually.TrueAsync(() => b.Node.OwnedCustomers().Count > 0, "node-b owns some customers");
        var handedOver = b.Node.OwnedCustomers();

        await b.StopAsync(); // coordinated shutdown: drains, checkpoints, releases its leases and leaves the cluster

        await Eventually.TrueAsync(() => a.Node.OwnedCustomers().Count == CustomerCount, "node-a owns every customer");
        foreach (var (customer, index) in handedOver.Select((c, i) => (c, i)))
        {
            await harness.EnqueueAsync(customer, ItemsPerCustomer, from: index * 1000); // the fake Dropbox is one namespace
        }

        await Eventually.TrueAsync(async () => await ArchivedAsync(harness) == handedOver.Count * ItemsPerCustomer, "node-a archives their items");
        Assert.All(harness.Target.Files, f => Assert.Equal(1, f.Uploads));
        Assert.DoesNotContain(await harness.Store.ListNodesAsync(CancellationToken.None), n => n.NodeId == "node-b");
        await a.StopAsync();
    }

    [Fact]
    public async Task AStartingNode_WaitsForTheLiveNodeItFoundInTheStore_AndStartsAloneOnlyOnceThatNodesHeartbeatIsStale()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customer = (await harness.AddCustomerAsync("acme")).Id;
        // A node the store sees heartbeating but whose Akka address answers nothing: a live node slow to answer, as far
        // as a joining node can tell.
        var silent = new NodeHeartbeat("silent", "http://127.0.0.1:1/", DateTimeOffset.UnixEpoch, 0)
        {
            ClusterAddress = $"akka.tcp://archiver@127.0.0.1:{FreePort.Next()}",
        };
        await harness.Store.HeartbeatAsync(silent, CancellationToken.None);

        await using var a = StartNode(harness, "node-a");
        var heartbeatsUntil = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(6); // twice akka.cluster.seed-node-timeout
        while (TimeProvider.System.GetUtcNow() < heartbeatsUntil)
        {
            await harness.Store.HeartbeatAsync(silent, CancellationToken.None);
            Assert.Empty(a.Node.OwnedCustomers()); // no cluster of its own while a live node may still answer
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        await Eventually.TrueAsync(() => a.Node.OwnedCustomers().Contains(customer), "node-a starts the cluster once the silent node's heartbeat is stale");
        await a.StopAsync();
    }

    [Fact]
    public async Task ANodeTheClusterDowns_IsJournaledAsNodeDown_WhatNodeDownAlertsAreSentFrom()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await AddCustomersAsync(harness);
        await using var a = StartNode(harness, "node-a");
        await using var b = StartNode(harness, "node-b");
        await Eventually.TrueAsync(
            () => a.Cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 2, "both nodes are up in one cluster", TimeSpan.FromSeconds(60));

        a.Cluster.Down(b.Cluster.SelfAddress);

        await Eventually.TrueAsync(async () =>
        {
            var downs = await harness.Store.ReadEventsAsync(new EventQuery(Type: EventTypes.NodeDown), CancellationToken.None);
            return downs.Count > 0 && downs.All(e => e.Details.Contains("node-b", StringComparison.Ordinal));
        }, "node-b's downing is journaled");
        await a.StopAsync();
    }

    private static async Task<List<CustomerId>> AddCustomersAsync(PipelineHarness harness)
    {
        var ids = new List<CustomerId>();
        for (var i = 0; i < CustomerCount; i++)
        {
            ids.Add((await harness.AddCustomerAsync($"customer-{i}")).Id);
        }

        return ids;
    }

    private static async Task<long> ArchivedAsync(PipelineHarness harness) =>
        (await harness.Store.GetProgressAsync(null, CancellationToken.None)).Sum(p => p.Archived);

    private static RunningNode StartNode(PipelineHarness harness, string nodeId)
    {
        var node = new ArchiverNode(
            harness.Services,
            PipelineHarness.Configuration(),
            Options.Create(new SupervisorOptions { LeaseDuration = TimeSpan.FromSeconds(3) }),
            Options.Create(new NodeOptions { NodeId = nodeId, RefreshInterval = TimeSpan.FromMilliseconds(100), NodeTimeout = TimeSpan.FromSeconds(2) }));
        var system = ActorSystem.Create("archiver", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """)
            .WithFallback(ClusterSettings.For(new ClusterOptions())) // a cluster member on a free loopback port
            .WithFallback(ControlPersistence.Sqlite(Path.Combine(harness.DataDirectory, "akka.db")))); // one journal, as nodes sharing a database have
        node.Start(system);
        return new RunningNode(node, system);
    }

    /// <summary>A node in its own actor system; stopping it runs the system's coordinated shutdown, as a host's stop does.</summary>
    private sealed class RunningNode(ArchiverNode node, ActorSystem system) : IAsyncDisposable
    {
        public ArchiverNode Node { get; } = node;

        public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(system);

        public Task StopAsync() => CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);

        public async ValueTask DisposeAsync()
        {
            await StopAsync(); // runs once however often it is asked
            await system.WhenTerminated;
        }
    }
}
