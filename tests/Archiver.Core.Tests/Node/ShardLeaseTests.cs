using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Coordination;
using Archiver.Core.Cluster;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Node;

public sealed class ShardLeaseTests
{
    [Fact]
    public async Task TheLeaseShardingTakesForAShard_IsTheStoreLeasesOfTheShardsActiveCustomers()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var customers = new List<CustomerId>();
        for (var i = 0; i < 300; i++)
        {
            customers.Add((await harness.AddCustomerAsync($"customer-{i}")).Id);
        }

        var shard = CustomerSharding.ShardOf(customers[0]);
        var inShard = customers.Where(c => CustomerSharding.ShardOf(c) == shard).ToArray();
        Assert.True(inShard.Length >= 2);
        await harness.Store.SetCustomerStateAsync(inShard[^1], CustomerState.Paused, "by an operator", CancellationToken.None);
        var system = ActorSystem.Create("archiver", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(ClusterSettings.For(new ClusterOptions())));
        try
        {
            var keeper = new LeaseKeeper(harness.Store, harness.Store, TimeSpan.FromSeconds(30), NullLogger.Instance, CustomerSharding.ShardOf);
            ShardLease.Register(system, keeper, "node-a", harness.Store, TimeProvider.System);
            var settings = ClusterSharding.Get(system).Settings;
            var lease = LeaseProvider.Get(system).GetLease($"archiver-shard-{CustomerSharding.TypeName}-{shard}", settings.LeaseSettings!.LeaseImplementation, "127.0.0.1:4053");

            Assert.IsType<ShardLease>(lease);
            Assert.False(lease.CheckLease());
            Assert.True(await lease.Acquire(_ => Assert.Fail("nothing is lost")));

            Assert.True(lease.CheckLease());
            var held = await harness.Store.ListLeasesAsync(CancellationToken.None);
            Assert.Equal(inShard[..^1].Select(c => c.Value).Order(), held.Select(l => l.Customer.Value).Order()); // the paused one needs none
            Assert.All(held, l => Assert.Equal("node-a", l.NodeId));

            Assert.True(await lease.Release());
            Assert.False(lease.CheckLease());
            Assert.Empty(await harness.Store.ListLeasesAsync(CancellationToken.None));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
