using Akka.Actor;
using Akka.Cluster;
using Archiver.Cluster;
using Archiver.Control;
using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Supervision;
using Microsoft.Extensions.Logging;

namespace Archiver.Node;

/// <summary>
/// The node's guardian. It brings the store's schema up to date and joins the Akka cluster of the nodes sharing the
/// store (<see cref="ClusterJoin"/>); then on every refresh tick, and at once when the cluster's membership changes,
/// it heartbeats into the shared store (its admin address, its Akka address, its throughput), maps the cluster's
/// members to node ids, and keeps one <see cref="CustomerActor"/> for each customer that rendezvous hashing over the
/// members that are up gives to this node, whatever its state: its journal, not the customers table, says whether it
/// is paused or parked. An operator's pause or resume for a customer served here is handed to its actor
/// (<see cref="LifecycleCommand"/>). A customer that moves to another node (a node joined, or this one came
/// back) is handed over gracefully: its actor drains and checkpoints, releases the lease and stops, and the new owner
/// takes it at once. The customers of a node that died move once the cluster's split brain resolver downs it, and
/// their leases are taken over at once (<see cref="LeaseKeeper.Members"/>). It renews every lease its customers hold.
/// Asked to drain (<see cref="NodeDrainRequested"/>), it stops every customer, waits until each has handed everything
/// back, and leaves. In an actor system that is not a cluster (a test's), the node is alone. States:
/// <see cref="Migrating"/>, <see cref="Joining"/>, <see cref="Serving"/>, <see cref="Draining"/>, <see cref="Left"/>.
/// </summary>
public sealed class NodeActor : ReceiveActor, IWithTimers
{
    private const string RefreshTimer = "refresh";
    private const string RenewalTimer = "lease-renewal";

    private readonly ArchiverNode _node;
    private readonly PipelineServices _services;
    private readonly SupervisorOptions _supervision;
    private readonly NodeOptions _options;
    private readonly PersistenceOptions _persistence;
    private readonly ILogger _logger;
    private readonly LeaseKeeper _leases;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<CustomerId, Child> _children = [];
    private readonly Dictionary<IActorRef, CustomerId> _customerOf = [];
    private readonly List<IActorRef> _drainRequesters = [];
    private readonly Akka.Cluster.Cluster? _cluster;
    private PipelineConfiguration _configuration;
    private IReadOnlyList<string> _liveNodes = [];
    private IReadOnlyList<Customer> _customers = [];
    private long? _customersVersion;
    private long _archivedAtLastHeartbeat;
    private DateTimeOffset _lastHeartbeatAt;
    private bool _refreshing;
    private bool _refreshAgain;
    private bool _renewing;

    public NodeActor(ArchiverNode node, PipelineServices services, SupervisorOptions supervision, NodeOptions options, PersistenceOptions persistence)
    {
        _persistence = persistence;
        _node = node;
        _services = services;
        _supervision = supervision;
        _options = options;
        _logger = services.Logger;
        _configuration = node.Configuration;
        _leases = new LeaseKeeper(services.Store, supervision.LeaseDuration, services.Logger);
        _cluster = ((ExtendedActorSystem)Context.System).Provider is ClusterActorRefProvider ? Akka.Cluster.Cluster.Get(Context.System) : null;
        Become(Migrating);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string NodeId => _node.NodeId; // configured, or the data directory's node.id

    public static Props Props(ArchiverNode node, PipelineServices services, SupervisorOptions supervision, NodeOptions options, PersistenceOptions persistence) =>
        Akka.Actor.Props.Create(typeof(NodeActor), node, services, supervision, options, persistence);

    /// <summary>A customer's actor that fails unexpectedly (its journal refused a write) is stopped, not restarted: the next refresh starts it afresh, recovering its journal.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        Log.NodeStarted(_logger, NodeId);
        Timers.StartPeriodicTimer(RenewalTimer, LeaseRenewalDue.Instance, _supervision.LeaseDuration / 3);
        Migrate();
    }

    protected override void PostStop()
    {
        _cluster?.Unsubscribe(Self);
        _lifetime.Cancel();
    }

    private void Migrating()
    {
        Receive<StoreMigrated>(_ => Join());
        Receive<MigrationFailed>(failed =>
        {
            Log.NodeRefreshFailed(_logger, failed.Cause, NodeId);
            Timers.StartSingleTimer(RefreshTimer, RefreshDue.Instance, _options.RefreshInterval);
        });
        Receive<RefreshDue>(_ => Migrate());
        Receive<NodeReconfigured>(Reconfigure);
        Receive<NodeDrainRequested>(_ => Drain());
        Receive<LifecycleCommand>(_ => Sender.Tell(new LifecycleCommandDone(Recorded: false)));
        RenewingLeases();
    }

    /// <summary>Finding the cluster through the store and joining it; serving starts once this node is up.</summary>
    private void Joining()
    {
        Receive<SeedsFound>(found =>
        {
            Log.ClusterJoining(_logger, NodeId, string.Join(", ", found.Seeds));
            _cluster!.JoinSeedNodes(found.Seeds);
        });
        Receive<JoinFailed>(failed =>
        {
            Log.ClusterJoinFailed(_logger, failed.Cause, NodeId);
            Timers.StartSingleTimer(RefreshTimer, RefreshDue.Instance, _options.RefreshInterval);
        });
        Receive<RefreshDue>(_ => FindSeeds());
        Receive<ClusterJoined>(_ => StartServing());
        Receive<NodeReconfigured>(Reconfigure);
        Receive<NodeDrainRequested>(_ => Drain());
        Receive<LifecycleCommand>(_ => Sender.Tell(new LifecycleCommandDone(Recorded: false)));
        RenewingLeases();
    }

    private void Serving()
    {
        Receive<RefreshDue>(_ => Refresh());
        Receive<ClusterEvent.IMemberEvent>(_ => Refresh()); // a node joined, left or was downed: ownership moves now, not at the next tick
        Receive<Refreshed>(refreshed =>
        {
            _refreshing = false;
            Apply(refreshed);
            if (_refreshAgain)
            {
                _refreshAgain = false;
                Refresh();
            }
        });
        Receive<RefreshFailed>(failed =>
        {
            _refreshing = false;
            Log.NodeRefreshFailed(_logger, failed.Cause, NodeId); // tried again next tick
        });
        Receive<NodeReconfigured>(Reconfigure);
        Receive<Terminated>(terminated => Forget(terminated.ActorRef));
        Receive<NodeDrainRequested>(_ => Drain());
        Receive<LifecycleCommand>(RouteCommand);
        RenewingLeases();
    }

    private void Draining()
    {
        Receive<Terminated>(terminated =>
        {
            Forget(terminated.ActorRef);
            LeaveOnceDrained();
        });
        Receive<NodeDrainRequested>(_ => _drainRequesters.Add(Sender));
        Receive<ClusterLeft>(_ =>
        {
            Log.NodeStopped(_logger, NodeId);
            foreach (var requester in _drainRequesters)
            {
                requester.Tell(NodeDrained.Instance);
            }

            _drainRequesters.Clear();
            Become(Left);
        });
        Receive<NodeReconfigured>(reconfigured => _configuration = reconfigured.Configuration);
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<SeedsFound>(_ => { });
        Receive<JoinFailed>(_ => { });
        Receive<ClusterJoined>(_ => { });
        Receive<Refreshed>(_ => _refreshing = false); // nothing starts while the node drains
        Receive<RefreshFailed>(_ => _refreshing = false);
        Receive<StoreMigrated>(_ => { });
        Receive<MigrationFailed>(_ => { });
        Receive<LifecycleCommand>(_ => Sender.Tell(new LifecycleCommandDone(Recorded: false)));
        RenewingLeases(); // leases stay renewed while pipelines drain
    }

    private void Left()
    {
        Receive<NodeDrainRequested>(_ => Sender.Tell(NodeDrained.Instance));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<NodeReconfigured>(_ => { });
        Receive<LifecycleCommand>(_ => Sender.Tell(new LifecycleCommandDone(Recorded: false)));
    }

    /// <summary>Every lease of this node's customers renewed in one store call, every third of the lease duration.</summary>
    private void RenewingLeases()
    {
        Receive<LeaseRenewalDue>(_ =>
        {
            if (_renewing)
            {
                return;
            }

            _renewing = true;
            _leases.RenewAllAsync(_lifetime.Token).PipeTo(Self, success: () => LeasesRenewed.Instance, failure: _ => LeasesRenewed.Instance);
        });
        Receive<LeasesRenewed>(_ => _renewing = false);
    }

    private void Migrate() =>
        _services.Store.MigrateAsync(_lifetime.Token)
            .PipeTo(Self, success: () => StoreMigrated.Instance, failure: ex => new MigrationFailed(ex));

    /// <summary>
    /// Joins the cluster of the nodes sharing the store, found there (<see cref="FindSeeds"/>), unless
    /// <c>akka.cluster.seed-nodes</c> names them (Akka joins those by itself); serves once this node is up. An actor
    /// system that is not a cluster serves at once, alone.
    /// </summary>
    private void Join()
    {
        if (_cluster is null)
        {
            StartServing();
            return;
        }

        Become(Joining);
        var self = Self;
        _cluster.RegisterOnMemberUp(() => self.Tell(ClusterJoined.Instance));
        if (_cluster.Settings.SeedNodes.IsEmpty)
        {
            FindSeeds();
        }
    }

    /// <summary>
    /// Records this node's Akka address in the store and reads the others', in one step serialized against every other
    /// node's join, so that of two nodes starting together the second finds the first. The seeds are this node first,
    /// then the others that heartbeated within <see cref="NodeOptions.NodeTimeout"/>, oldest first: Akka asks them to let
    /// it join and, when none answers within <c>akka.cluster.seed-node-timeout</c> (none is alive), starts the cluster
    /// itself.
    /// </summary>
    private void FindSeeds()
    {
        var self = _cluster!.SelfAddress;
        var heartbeat = new NodeHeartbeat(NodeId, _node.Address, _node.StartedAt, 0) { ClusterAddress = self.ToString() };
        FindSeedsAsync(heartbeat, _lifetime.Token).PipeTo(Self, success: seeds => new SeedsFound([self, .. seeds]), failure: ex => new JoinFailed(ex));
    }

    private async Task<IReadOnlyList<Address>> FindSeedsAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        var nodes = await _services.Store.JoinClusterAsync(heartbeat, cancellationToken).ConfigureAwait(false);
        var now = _services.Time.GetUtcNow();
        return nodes
            .Where(n => n.NodeId != heartbeat.NodeId && n.ClusterAddress.Length > 0 && n.IsAlive(now, _options.NodeTimeout))
            .OrderBy(n => n.StartedAt)
            .Select(n => Address.Parse(n.ClusterAddress))
            .ToArray();
    }

    private void StartServing()
    {
        if (_cluster is not null)
        {
            Log.ClusterJoined(_logger, NodeId, _cluster.SelfAddress.ToString());
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        }

        Become(Serving);
        Timers.StartPeriodicTimer(RefreshTimer, RefreshDue.Instance, TimeSpan.Zero, _options.RefreshInterval);
    }

    private void Refresh()
    {
        if (_refreshing)
        {
            _refreshAgain = true; // a slow store: ticks coalesce, and a membership change is looked at once this one ends
            return;
        }

        _refreshing = true;
        var now = _services.Time.GetUtcNow();
        var archived = _node.ArchivedCount();
        var elapsed = (now - _lastHeartbeatAt).TotalSeconds;
        var itemsPerSecond = _lastHeartbeatAt == default || elapsed <= 0 ? 0 : (archived - _archivedAtLastHeartbeat) / elapsed;
        var heartbeat = new NodeHeartbeat(NodeId, _node.Address, _node.StartedAt, itemsPerSecond) { ClusterAddress = _cluster?.SelfAddress.ToString() ?? string.Empty };
        RefreshAsync(heartbeat, now, archived, _customersVersion, _lifetime.Token)
            .PipeTo(Self, success: refreshed => refreshed, failure: ex => new RefreshFailed(ex));
    }

    /// <summary>
    /// Heartbeats, reads the registered nodes, and lists the customers again only when the store's customers version
    /// moved since the last listing: ten thousand idle customers cost one small read per refresh, not ten thousand rows.
    /// </summary>
    private async Task<Refreshed> RefreshAsync(NodeHeartbeat heartbeat, DateTimeOffset at, long archived, long? knownVersion, CancellationToken cancellationToken)
    {
        var store = _services.Store;
        await store.HeartbeatAsync(heartbeat, cancellationToken).ConfigureAwait(false);
        var nodes = await store.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var version = await store.GetCustomersVersionAsync(cancellationToken).ConfigureAwait(false);
        var customers = version == knownVersion ? null : await store.ListCustomersAsync(cancellationToken).ConfigureAwait(false);
        return new Refreshed(at, archived, nodes, version, customers); // the version read before the listing: a change in between only lists once more
    }

    private void Apply(Refreshed refreshed)
    {
        _lastHeartbeatAt = refreshed.HeartbeatAt;
        _archivedAtLastHeartbeat = refreshed.Archived;
        var (up, members) = Membership(refreshed.Nodes);
        _leases.Members = members;
        if (!up.SequenceEqual(_liveNodes, StringComparer.Ordinal))
        {
            _liveNodes = up;
            Log.MembershipChanged(_logger, NodeId, _liveNodes.Count, string.Join(", ", _liveNodes));
        }

        if (refreshed.Customers is { } customers)
        {
            _customers = customers;
            _customersVersion = refreshed.CustomersVersion;
        }

        foreach (var customer in _customers)
        {
            var owner = Rendezvous.Owner(customer.Id.Value, _liveNodes); // paused and parked customers too: their actors say so
            var servedHere = _children.TryGetValue(customer.Id, out var child);
            if (owner == NodeId)
            {
                if (!servedHere)
                {
                    Start(customer);
                }
                else if (!child!.HandingOver && (child.SeenCustomer != customer || child.SeenConfiguration != _configuration))
                {
                    child.Actor.Tell(new CustomerReconfigured(_configuration, customer));
                    _children[customer.Id] = child with { SeenCustomer = customer, SeenConfiguration = _configuration };
                }
            }
            else if (servedHere && !child!.HandingOver)
            {
                if (owner is not null)
                {
                    Log.CustomerHandedOver(_logger, NodeId, customer.Id, owner);
                }

                HandOver(customer.Id, child);
            }
        }
    }

    /// <summary>
    /// The node ids of the cluster's members that are up (who serves customers), and of every member whatever its
    /// status (whose leases are not taken over), by the Akka address each node recorded in the store; this node is
    /// always among both. Alone (no cluster), this node is the only one.
    /// </summary>
    private (string[] Up, string[] Members) Membership(IReadOnlyList<ClusterNode> nodes)
    {
        if (_cluster is null)
        {
            return ([NodeId], [NodeId]);
        }

        var state = _cluster.State;
        var up = state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp).Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        var members = state.Members.Where(m => m.Status != MemberStatus.Down).Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        string[] NodesAt(HashSet<string> addresses) =>
            nodes.Where(n => addresses.Contains(n.ClusterAddress)).Select(n => n.NodeId)
                .Append(NodeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return (NodesAt(up), NodesAt(members));
    }

    private void Start(Customer customer)
    {
        var actor = Context.ActorOf(
            CustomerActor.Props(customer, NodeId, _configuration, _supervision, _persistence, _services, _leases, _node.ActivityOf(customer.Id)),
            customer.Id.Value);
        Context.Watch(actor);
        _children[customer.Id] = new Child(actor, customer, _configuration, HandingOver: false);
        _customerOf[actor] = customer.Id;
        PublishOwned();
    }

    /// <summary>
    /// An operator's pause or resume: the customer's actor journals it and writes the store, then answers; a customer
    /// not served here is answered at once with nothing recorded (the caller writes the store, and the node serving it
    /// journals what it sees there).
    /// </summary>
    private void RouteCommand(LifecycleCommand command)
    {
        if (_children.TryGetValue(command.Customer, out var child) && !child.HandingOver)
        {
            child.Actor.Forward(command);
        }
        else
        {
            Sender.Tell(new LifecycleCommandDone(Recorded: false));
        }
    }

    /// <summary>The customer's actor drains, checkpoints and releases the lease, then stops; until then it still counts as served here.</summary>
    private void HandOver(CustomerId customer, Child child)
    {
        child.Actor.Tell(CustomerStopRequested.Instance);
        _children[customer] = child with { HandingOver = true };
    }

    private void Forget(IActorRef actor)
    {
        if (_customerOf.Remove(actor, out var customer))
        {
            _children.Remove(customer);
            PublishOwned();
        }
    }

    private void Reconfigure(NodeReconfigured reconfigured)
    {
        if (ReferenceEquals(reconfigured.Configuration, _configuration))
        {
            return; // what the node started with, told again by its facade in case a reload raced the start
        }

        _configuration = reconfigured.Configuration;
        foreach (var child in _children.Values.Where(c => !c.HandingOver))
        {
            child.Actor.Tell(new CustomerReconfigured(_configuration));
        }

        Log.ConfigurationApplied(_logger, NodeId);
    }

    private void Drain()
    {
        _drainRequesters.Add(Sender);
        Timers.Cancel(RefreshTimer);
        Become(Draining);
        foreach (var (customer, child) in _children.Where(c => !c.Value.HandingOver).ToArray())
        {
            HandOver(customer, child);
        }

        LeaveOnceDrained();
    }

    /// <summary>Once every customer has handed everything back: stop renewing and leave the cluster, so the others take over at once.</summary>
    private void LeaveOnceDrained()
    {
        if (_children.Count > 0)
        {
            return;
        }

        Timers.Cancel(RenewalTimer);
        LeaveAsync().PipeTo(Self, success: () => ClusterLeft.Instance);
    }

    private async Task LeaveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _services.Time);
        try
        {
            await _services.Store.LeaveClusterAsync(NodeId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.NodeRefreshFailed(_logger, ex, NodeId);
        }
    }

    private void PublishOwned() => _node.Owned(_children.Keys.ToArray());

    /// <summary>A customer's actor, the customer record and configuration it was last given, and whether it is on its way out.</summary>
    private sealed record Child(IActorRef Actor, Customer SeenCustomer, PipelineConfiguration SeenConfiguration, bool HandingOver);

    private sealed record StoreMigrated
    {
        public static StoreMigrated Instance { get; } = new();
    }

    private sealed record MigrationFailed(Exception Cause);

    private sealed record RefreshDue
    {
        public static RefreshDue Instance { get; } = new();
    }

    private sealed record Refreshed(
        DateTimeOffset HeartbeatAt, long Archived, IReadOnlyList<ClusterNode> Nodes, long CustomersVersion, IReadOnlyList<Customer>? Customers);

    private sealed record SeedsFound(IReadOnlyList<Address> Seeds);

    private sealed record JoinFailed(Exception Cause);

    private sealed record ClusterJoined
    {
        public static ClusterJoined Instance { get; } = new();
    }

    private sealed record RefreshFailed(Exception Cause);

    private sealed record LeaseRenewalDue
    {
        public static LeaseRenewalDue Instance { get; } = new();
    }

    private sealed record LeasesRenewed
    {
        public static LeasesRenewed Instance { get; } = new();
    }

    private sealed record ClusterLeft
    {
        public static ClusterLeft Instance { get; } = new();
    }
}
