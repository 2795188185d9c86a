using Akka.Actor;
using Akka.Cluster.Sharding;
using Archiver.Core.Customers;
using Archiver.Core.Supervision;

namespace Archiver.Core.Node;

/// <summary>
/// Customers as entities of Akka.Cluster.Sharding: each <see cref="CustomerActor"/> runs on exactly one node, in one
/// of <see cref="NumberOfShards"/> shards that the coordinator spreads evenly over the nodes and moves when nodes join,
/// leave or die. Entities are remembered (in the journal), so a moved shard starts its customers again on the new
/// node at once, idle ones included; a shard handed off asks each customer to stop gracefully
/// (<see cref="CustomerStopRequested"/>: drain, checkpoint, release the lease) before it moves.
/// </summary>
public static class CustomerSharding
{
    /// <summary>The entity type's name, the same on every node.</summary>
    public const string TypeName = "customer";

    /// <summary>
    /// Shards per cluster: about ten per node for the largest cluster expected, so allocation stays even; never to
    /// change while a cluster's remembered entities exist (a customer's shard is its id's hash modulo this).
    /// </summary>
    public const int NumberOfShards = 100;

    private static readonly MessageExtractor Extractor = new();

    /// <summary>Starts this node's shard region for customers, whose entities <paramref name="entityProps"/> creates.</summary>
    public static IActorRef Start(ActorSystem system, Func<CustomerId, Props> entityProps)
    {
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system);
        return sharding.Start(
            TypeName,
            entityId => entityProps(new CustomerId(entityId)),
            settings,
            Extractor,
            sharding.DefaultShardAllocationStrategy(settings),
            CustomerStopRequested.Instance);
    }

    /// <summary>The shard <paramref name="customer"/> belongs to, the same on every node.</summary>
    public static string ShardOf(CustomerId customer) => Extractor.ShardId(customer.Value);

    /// <summary>A message for <paramref name="customer"/>'s actor, wherever it runs.</summary>
    public static ShardingEnvelope To(CustomerId customer, object message) => new(customer.Value, message);

    /// <summary>
    /// Entities by customer id, shards by a stable hash of it (the same on every node). Every message travels in a
    /// <see cref="ShardingEnvelope"/> (<see cref="To"/>), which the base class unwraps, as it does the restarts of
    /// remembered entities; nothing else is a customer's.
    /// </summary>
    private sealed class MessageExtractor() : HashCodeMessageExtractor(NumberOfShards)
    {
        public override string? EntityId(object message) => null;
    }
}
