using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Archiver.Control;
using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Supervision;
using Microsoft.Extensions.Options;

namespace Archiver.Node;

/// <summary>
/// The node as the edge sees it (admin API, demo, bench, hot reload): who it is, the configuration in force, and what
/// its customers are doing. The work is done by its <see cref="NodeActor"/>, started in an actor system by
/// <see cref="Start"/>, which also has the system's coordinated shutdown drain every customer and leave the cluster in
/// phase <c>service-stop</c>. The counters and the customers owned are read models that the actors keep up to date.
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
    IOptions<PersistenceOptions>? persistenceOptions = null)
{
    private readonly ConcurrentDictionary<CustomerId, CustomerActivity> _activity = new();
    private PipelineConfiguration _configuration = pipelineConfiguration;
    private IReadOnlyList<CustomerId> _owned = [];
    private IActorRef? _actor;

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

    /// <summary>The customers this node serves now (those being handed over included, until they have).</summary>
    public IReadOnlyList<CustomerId> OwnedCustomers() => Volatile.Read(ref _owned);

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
    /// Starts the node's actor in <paramref name="system"/>, and registers the drain of every customer (and leaving the
    /// cluster) as a task of the system's coordinated shutdown, phase <c>service-stop</c>.
    /// </summary>
    public IActorRef Start(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (_actor is not null)
        {
            throw new InvalidOperationException($"Node {NodeId} is already started.");
        }

        var actor = system.ActorOf(NodeActor.Props(this, services, supervisorOptions.Value, nodeOptions.Value, persistenceOptions?.Value ?? new PersistenceOptions()), "node");
        Volatile.Write(ref _actor, actor);
        actor.Tell(new NodeReconfigured(Configuration)); // in case a reload came while the actor was being created

        var shutdown = CoordinatedShutdown.Get(system);
        var phaseTimeout = shutdown.Timeout(CoordinatedShutdown.PhaseServiceStop);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "drain-customers", async () =>
        {
            await DrainAsync(phaseTimeout, CancellationToken.None).ConfigureAwait(false);
            return Done.Instance;
        });
        return actor;
    }

    /// <summary>Drains every customer (pipelines stop, uploads under way finish, claims and leases go back) and leaves the cluster.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var actor = Volatile.Read(ref _actor) ?? throw new InvalidOperationException($"Node {NodeId} was never started.");
        await actor.Ask<NodeDrained>(NodeDrainRequested.Instance, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An operator pauses or resumes <paramref name="customer"/>: when this node serves it, its actor journals the
    /// change and writes it to the store before this returns true. False when this node does not serve it (or is not
    /// running): the caller writes the store, and the node serving the customer journals what it sees there.
    /// </summary>
    public async Task<bool> ChangeLifecycleAsync(CustomerId customer, CustomerState state, string reason, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _actor) is not { } actor)
        {
            return false;
        }

        try
        {
            var done = await actor.Ask<LifecycleCommandDone>(new LifecycleCommand(customer, state, reason), timeout, cancellationToken).ConfigureAwait(false);
            return done.Recorded;
        }
        catch (AskTimeoutException)
        {
            return false; // the store is written instead; the customer's actor journals the change when it sees it there
        }
    }

    /// <summary>The counters of <paramref name="customer"/>, kept for as long as the node runs.</summary>
    internal CustomerActivity ActivityOf(CustomerId customer) =>
        _activity.GetOrAdd(customer, static (id, time) => new CustomerActivity(id, time), services.Time);

    /// <summary>Items archived on this node since it started, over every customer.</summary>
    internal long ArchivedCount() => _activity.Values.Sum(a => a.ArchivedCount);

    /// <summary>What the node actor publishes whenever the customers it serves change.</summary>
    internal void Owned(IReadOnlyList<CustomerId> customers) =>
        Volatile.Write(ref _owned, customers.OrderBy(id => id.Value, StringComparer.Ordinal).ToArray());
}
