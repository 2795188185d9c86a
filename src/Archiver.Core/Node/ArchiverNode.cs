using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Diagnostics;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Core.Supervision;
using Microsoft.Extensions.Options;

namespace Archiver.Core.Node;

/// <summary>
/// The node as the edge sees it (admin API, demo, bench, hot reload): who it is, the configuration in force, and what
/// its customers are doing. The work is done by its customers' actors, sharded over the cluster
/// (<see cref="CustomerSharding"/>), its <see cref="NodeActor"/>, and its <see cref="RetentionActor"/> (which prunes old
/// history when this node leads the cluster), all started in an actor system by
/// <see cref="Start"/>. Stopping the system runs its coordinated shutdown: sharding hands every customer here off
/// (each drains, checkpoints and releases its lease; another node starts it at once), then the node leaves the cluster
/// and its row in the store. The counters and the customers owned are read models that the actors keep up to date.
/// <para>
/// The node is <paramref name="identity"/> when given (its data directory's, or the configured id it holds the
/// directory under), else <see cref="NodeOptions.NodeId"/>. A node restarted under the same id takes its own leases
/// back at once, each with a new fencing token, so nothing its previous incarnation left in flight can be written.
/// </para>
/// </summary>
public sealed class ArchiverNode(
    PipelineServices services,
    PipelineConfiguration pipelineConfiguration,
    IOptions<SupervisorOptions> supervisorOptions,
    IOptions<NodeOptions> nodeOptions,
    NodeIdentity? identity = null,
    IOptions<PersistenceOptions>? persistenceOptions = null,
    ArchiverMetrics? metrics = null,
    IOptions<RetentionOptions>? retentionOptions = null)
{
    private readonly ConcurrentDictionary<CustomerId, CustomerActivity> _activity = new();
    private PipelineConfiguration _configuration = pipelineConfiguration;
    private IActorRef? _actor;
    private IActorRef? _customers;
    private RetentionRun? _lastRetentionRun;

    public string NodeId { get; } = identity?.Id is { Length: > 0 } id ? id
        : nodeOptions.Value.NodeId is { Length: > 0 } configured ? configured
        : throw new ArgumentException("A node needs an id: NodeOptions.NodeId or a NodeIdentity.", nameof(nodeOptions));

    public DateTimeOffset StartedAt { get; } = services.Time.GetUtcNow();

    /// <summary>
    /// Where this node's admin API is reached, as its heartbeat tells the cluster: <see cref="NodeOptions.Address"/>
    /// when configured, else what the API reports once it listens.
    /// </summary>
    public string Address { get; set; } = nodeOptions.Value.Address;

    /// <summary>The pipeline configuration in force.</summary>
    public PipelineConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>Live counters of every customer this node has served since it started.</summary>
    public IReadOnlyList<CustomerActivitySnapshot> Activity() =>
        _activity.Values.Select(a => a.Snapshot()).OrderBy(s => s.Customer.Value, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The last run of retention on this node, null when none ran here yet: it runs on the cluster's leader only
    /// (<see cref="RetentionActor"/>), so another node shows its own, or none.
    /// </summary>
    public RetentionRun? LastRetentionRun => Volatile.Read(ref _lastRetentionRun);

    /// <summary>The customers this node serves now (those being handed over included, until they have).</summary>
    public IReadOnlyList<CustomerId> OwnedCustomers() =>
        _activity.Values.Where(a => a.RunsHere).Select(a => a.Customer).OrderBy(id => id.Value, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Puts a new, already validated pipeline configuration in force: running pipelines get new throttle limits at
    /// once and restart gracefully for anything else; pipelines started later read it.
    /// </summary>
    public void Reconfigure(PipelineConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Volatile.Write(ref _configuration, configuration);
        Volatile.Read(ref _actor)?.Tell(new NodeReconfigured(configuration));
    }

    /// <summary>
    /// Starts the node in <paramref name="system"/> (a cluster member): this node's shard region for customers, whose
    /// actors it creates here when the cluster places them here, and the node's actor. Registers the removal of the
    /// node's row from the store as a task of the system's coordinated shutdown, once the customers are handed off.
    /// </summary>
    public IActorRef Start(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (_actor is not null)
        {
            throw new InvalidOperationException($"Node {NodeId} is already started.");
        }

        var supervision = supervisorOptions.Value;
        var persistence = persistenceOptions?.Value ?? new PersistenceOptions();
        var leases = new LeaseKeeper(services.Store, services.Store, supervision.LeaseDuration, services.Logger, groupOf: CustomerSharding.ShardOf);
        ShardLease.Register(system, leases, NodeId, services.Store, services.Time); // before the region: its shards take their leases through it
        var customers = CustomerSharding.Start(system, customer =>
            CustomerActor.Props(customer, NodeId, Configuration, supervision, persistence, services, leases, ActivityOf(customer)));
        Volatile.Write(ref _customers, customers);
        var actor = system.ActorOf(NodeActor.Props(this, services, nodeOptions.Value, leases, supervision.LeaseDuration, customers), "node");
        Volatile.Write(ref _actor, actor);
        actor.Tell(new NodeReconfigured(Configuration)); // in case a reload came while the actor was being created
        var retention = retentionOptions?.Value ?? new RetentionOptions();
        var pruner = new RetentionPruner(services.Store, retention, services.Time, services.Logger);
        system.ActorOf(
            RetentionActor.Props(pruner, retention.Interval, Akka.Cluster.Cluster.Get(system), run => Volatile.Write(ref _lastRetentionRun, run)),
            "retention");

        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseClusterExitingDone, "leave-store", async () =>
        {
            await actor.GracefulStop(TimeSpan.FromSeconds(5)).ConfigureAwait(false); // no heartbeat after this: the customers are handed off
            await LeaveStoreAsync().ConfigureAwait(false);
            Log.NodeStopped(services.Logger, NodeId);
            return Done.Instance;
        });
        return actor;
    }

    /// <summary>
    /// An operator pauses or resumes <paramref name="customer"/>: its actor, wherever in the cluster it runs, journals
    /// the change and writes it to the store before this returns true. False when it did not answer in time (or the node
    /// is not running): the caller writes the store, and the customer's actor journals what it sees there.
    /// </summary>
    public async Task<bool> ChangeLifecycleAsync(CustomerId customer, CustomerState state, string reason, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _customers) is not { } customers)
        {
            return false;
        }

        try
        {
            var done = await customers.Ask<LifecycleCommandDone>(
                CustomerSharding.To(customer, new LifecycleCommand(customer, state, reason)), timeout, cancellationToken).ConfigureAwait(false);
            return done.Recorded;
        }
        catch (AskTimeoutException)
        {
            return false; // the store is written instead; the customer's actor journals the change when it sees it there
        }
    }

    /// <summary>
    /// Which node holds each shard of customers now, and how many customers run in it: the cluster's sharding
    /// statistics, gathered from every node's region within <paramref name="timeout"/> (a region that does not answer
    /// in time is left out).
    /// </summary>
    public async Task<IReadOnlyList<ShardPlacement>> ShardsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var customers = Volatile.Read(ref _customers) ?? throw new InvalidOperationException($"Node {NodeId} was never started.");
        var stats = await customers.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + TimeSpan.FromSeconds(1), cancellationToken)
            .ConfigureAwait(false);
        return stats.Regions
            .SelectMany(region => region.Value.Stats.Select(shard => new ShardPlacement(shard.Key, region.Key.ToString(), shard.Value)))
            .OrderBy(shard => int.TryParse(shard.ShardId, out var number) ? number : int.MaxValue)
            .ToArray();
    }

    /// <summary>The node's row goes, so that <c>cluster show</c> does not list it as gone and no joining node tries it as a seed.</summary>
    private async Task LeaveStoreAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), services.Time);
        try
        {
            await services.Store.LeaveClusterAsync(NodeId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.NodeRefreshFailed(services.Logger, ex, NodeId);
        }
    }

    /// <summary>The counters of <paramref name="customer"/>, kept for as long as the node runs.</summary>
    internal CustomerActivity ActivityOf(CustomerId customer) =>
        _activity.GetOrAdd(customer, static (id, with) => new CustomerActivity(id, with.Time, with.Metrics), (services.Time, Metrics: metrics));

    /// <summary>Items archived on this node since it started, over every customer: the counters alone, without a snapshot of each.</summary>
    public long ArchivedCount() => _activity.Values.Sum(a => a.ArchivedCount);
}
