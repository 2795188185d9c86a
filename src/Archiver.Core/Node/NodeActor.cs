using Akka.Actor;
using Akka.Cluster;
using Archiver.Core.Cluster;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Node;

/// <summary>
/// The node's guardian. It brings the store's schema up to date and joins the Akka cluster of the nodes sharing the
/// store (<see cref="FindSeeds"/>). Customers themselves are sharded entities (<see cref="CustomerSharding"/>): the
/// cluster decides where each runs. This actor keeps them informed: on every refresh tick, and at once when the
/// cluster's membership changes, it heartbeats into the shared store (its admin address, its Akka address, its
/// throughput), tells every customer whose record changed in the store to read it again (which also starts the actor
/// of a customer added since), hands a new configuration to the customers running here, tells the
/// <see cref="LeaseKeeper"/> which nodes are members (a lease held by any other node is taken over at once), and
/// renews every lease this node's customers hold. States: <see cref="Migrating"/>, <see cref="Joining"/>,
/// <see cref="Serving"/>.
/// </summary>
public sealed class NodeActor : ReceiveActor, IWithTimers
{
    private const string RefreshTimer = "refresh";
    private const string RenewalTimer = "lease-renewal";

    private readonly ArchiverNode _node;
    private readonly PipelineServices _services;
    private readonly NodeOptions _options;
    private readonly LeaseKeeper _leases;
    private readonly IActorRef _customers;
    private readonly TimeSpan _renewEvery;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Akka.Cluster.Cluster _cluster;
    private Dictionary<CustomerId, Customer> _known = [];
    private IReadOnlyList<string> _members = [];
    private IReadOnlyList<ClusterNode> _nodes = [];
    private PipelineConfiguration _configuration;
    private long? _customersVersion;
    private long _archivedAtLastHeartbeat;
    private DateTimeOffset _lastHeartbeatAt;
    private bool _refreshing;
    private bool _refreshAgain;
    private bool _renewing;

    public NodeActor(ArchiverNode node, PipelineServices services, NodeOptions options, LeaseKeeper leases, TimeSpan leaseDuration, IActorRef customers)
    {
        _node = node;
        _services = services;
        _options = options;
        _leases = leases;
        _customers = customers;
        _renewEvery = leaseDuration / 3;
        _logger = services.Logger;
        _configuration = node.Configuration;
        _cluster = Akka.Cluster.Cluster.Get(Context.System);
        Become(Migrating);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string NodeId => _node.NodeId; // configured, or the data directory's node.id

    public static Props Props(ArchiverNode node, PipelineServices services, NodeOptions options, LeaseKeeper leases, TimeSpan leaseDuration, IActorRef customers) =>
        Akka.Actor.Props.Create(typeof(NodeActor), node, services, options, leases, leaseDuration, customers);

    protected override void PreStart()
    {
        Log.NodeStarted(_logger, NodeId);
        Timers.StartPeriodicTimer(RenewalTimer, LeaseRenewalDue.Instance, _renewEvery);
        Migrate();
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
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
        Receive<NodeReconfigured>(reconfigured => _configuration = reconfigured.Configuration);
        RenewingLeases();
    }

    /// <summary>Finding the cluster through the store and joining it; serving starts once this node is up.</summary>
    private void Joining()
    {
        Receive<SeedsFound>(found =>
        {
            Log.ClusterJoining(_logger, NodeId, string.Join(", ", found.Seeds));
            _cluster.JoinSeedNodes(found.Seeds);
            if (found.Seeds is not [var only] || only != _cluster.SelfAddress)
            {
                // Akka asks them until one answers. Should none ever answer, they died: by the time their heartbeats are
                // stale, the store offers none, and this node starts the cluster itself.
                Timers.StartSingleTimer(RefreshTimer, RefreshDue.Instance, _options.NodeTimeout);
            }
        });
        Receive<JoinFailed>(failed =>
        {
            Log.ClusterJoinFailed(_logger, failed.Cause, NodeId);
            Timers.StartSingleTimer(RefreshTimer, RefreshDue.Instance, _options.RefreshInterval);
        });
        Receive<RefreshDue>(_ => FindSeeds());
        Receive<ClusterJoined>(_ => StartServing());
        Receive<NodeReconfigured>(reconfigured => _configuration = reconfigured.Configuration);
        RenewingLeases();
    }

    private void Serving()
    {
        Receive<RefreshDue>(_ => Refresh());
        Receive<ClusterEvent.IMemberEvent>(changed =>
        {
            // A node joined, left or was downed: its leases may be taken over now (a shard placed here may already be
            // asking for them), by the addresses known; the refresh then reads any node new to the store.
            _leases.Members = Members(_nodes, gone: changed.Member.Status is MemberStatus.Down or MemberStatus.Removed ? changed.Member.Address : null);
            if (changed is ClusterEvent.MemberDowned && FirstSurvivor(changed.Member.Address) == _cluster.SelfAddress)
            {
                JournalNodeDown(changed.Member.Address); // once: the entry alerts' node.down webhooks are sent from
            }

            Refresh();
        });
        Receive<NodeDownJournalFailed>(failed => Log.NodeDownJournalFailed(_logger, failed.Cause, NodeId, failed.Node));
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
        RenewingLeases();
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
    /// <c>akka.cluster.seed-nodes</c> names them (Akka joins those by itself); serves once this node is up.
    /// </summary>
    private void Join()
    {
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
    /// node's join, so that of two nodes starting together the second finds the first. The seeds are the others that
    /// heartbeated within <see cref="NodeOptions.NodeTimeout"/>, oldest first, and this node only when there are none:
    /// a node that listed itself too would start a cluster of its own whenever the live ones were slow to answer (a
    /// loaded machine), and two clusters never merge.
    /// </summary>
    private void FindSeeds()
    {
        var self = _cluster.SelfAddress;
        var heartbeat = new NodeHeartbeat(NodeId, _node.Address, _node.StartedAt, 0) { ClusterAddress = self.ToString() };
        FindSeedsAsync(heartbeat, _lifetime.Token).PipeTo(
            Self, success: others => new SeedsFound(others.Count > 0 ? others : [self]), failure: ex => new JoinFailed(ex));
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
        Log.ClusterJoined(_logger, NodeId, _cluster.SelfAddress.ToString());
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
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
        var heartbeat = new NodeHeartbeat(NodeId, _node.Address, _node.StartedAt, itemsPerSecond) { ClusterAddress = _cluster.SelfAddress.ToString() };
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
        _nodes = refreshed.Nodes;
        var members = Members(_nodes);
        _leases.Members = members;
        if (!members.SequenceEqual(_members, StringComparer.Ordinal))
        {
            _members = members;
            Log.MembershipChanged(_logger, NodeId, _members.Count, string.Join(", ", _members));
        }

        if (refreshed.Customers is { } customers)
        {
            _customersVersion = refreshed.CustomersVersion;
            var known = customers.ToDictionary(c => c.Id);
            foreach (var customer in customers.Where(c => !_known.TryGetValue(c.Id, out var seen) || seen != c))
            {
                _customers.Tell(CustomerSharding.To(customer.Id, CustomerRecordChanged.Instance)); // starts the actor of a customer new to the cluster
            }

            _known = known;
        }
    }

    /// <summary>
    /// The node ids of the cluster's members, whatever their status but down (a downed node's leases, and those of
    /// <paramref name="gone"/>, are taken over at once), by the Akka address each node recorded in the store; this node
    /// is always among them.
    /// </summary>
    private string[] Members(IReadOnlyList<ClusterNode> nodes, Address? gone = null)
    {
        var members = _cluster.State.Members.Where(m => m.Status != MemberStatus.Down && m.Address != gone)
            .Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        return nodes.Where(n => members.Contains(n.ClusterAddress)).Select(n => n.NodeId)
            .Append(NodeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Of the members still up once <paramref name="downed"/> is gone, the one with the lowest address: the one node
    /// that journals the downing. Not the cluster's leader, which at that moment may still be the downed node itself.
    /// </summary>
    private Address? FirstSurvivor(Address downed) =>
        _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.Address != downed)
            .Select(m => m.Address).Order(Member.AddressOrdering).FirstOrDefault();

    /// <summary>
    /// Journals that the cluster downed a member (its failure detector and split brain resolver, or an operator's
    /// <c>cluster down</c>): a node that left gracefully is not down. Named by its node id when the store knows it.
    /// </summary>
    private void JournalNodeDown(Address address)
    {
        var node = _nodes.FirstOrDefault(n => n.ClusterAddress == address.ToString())?.NodeId ?? address.ToString();
        var down = new NewEvent(EventTypes.NodeDown, Customer: null, $"node {node} ({address}) was downed; its customers move to the other nodes");
        var self = Self;
        _services.Store.AppendEventsAsync([down], _lifetime.Token).ContinueWith(
            journal => self.Tell(new NodeDownJournalFailed(node, journal.Exception!.GetBaseException())),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>A new configuration reaches the customers running here (each node has its own).</summary>
    private void Reconfigure(NodeReconfigured reconfigured)
    {
        if (ReferenceEquals(reconfigured.Configuration, _configuration))
        {
            return; // what the node started with, told again by its facade in case a reload raced the start
        }

        _configuration = reconfigured.Configuration;
        foreach (var customer in _node.OwnedCustomers())
        {
            _customers.Tell(CustomerSharding.To(customer, new CustomerReconfigured(_configuration)));
        }

        Log.ConfigurationApplied(_logger, NodeId);
    }

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

    private sealed record RefreshFailed(Exception Cause);

    private sealed record SeedsFound(IReadOnlyList<Address> Seeds);

    private sealed record JoinFailed(Exception Cause);

    private sealed record NodeDownJournalFailed(string Node, Exception Cause);

    private sealed record ClusterJoined
    {
        public static ClusterJoined Instance { get; } = new();
    }

    private sealed record LeaseRenewalDue
    {
        public static LeaseRenewalDue Instance { get; } = new();
    }

    private sealed record LeasesRenewed
    {
        public static LeasesRenewed Instance { get; } = new();
    }
}
