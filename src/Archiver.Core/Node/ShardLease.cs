using Akka.Actor;
using Akka.Coordination;
using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;

namespace Archiver.Core.Node;

/// <summary>
/// The lease a shard of customers holds while it runs on this node: Akka.Cluster.Sharding's <c>use-lease</c>, set to
/// this class by <see cref="Cluster.ClusterSettings"/>. It is the PostgreSQL (or SQLite) leases of every active customer
/// in the shard, each with its fencing token, taken for this node by the node's <see cref="LeaseKeeper"/>:
/// <list type="bullet">
/// <item>sharding starts no customer of the shard here before all those leases are taken; while another live node still
/// holds one, acquiring fails and sharding tries again every <c>lease-retry-interval</c>;</item>
/// <item>a renewal refused for any of them (another node took it: this node was paused, or cut off, long enough to be
/// downed) ends the shard's lease, and sharding stops the shard and its customers at once;</item>
/// <item>a customer's actor takes up the lease its shard took, so a moved shard's customers start without a store call
/// each; one added to the shard later takes its own;</item>
/// <item>released when the shard has handed off (its customers have given theirs back by then) or stopped.</item>
/// </list>
/// Every claim and checkpoint still carries the customer's fencing token: the lease keeps a node from starting a
/// customer another node runs, the token keeps a node that missed its loss from writing.
/// </summary>
public sealed class ShardLease : Akka.Coordination.Lease
{
    private readonly NodeLeases _node;
    private readonly string _shard;

    /// <summary>Made by Akka's <see cref="LeaseProvider"/> for each shard, named <c>{system}-shard-{type}-{shard}</c>.</summary>
    public ShardLease(LeaseSettings settings, ActorSystem system)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(system);
        _node = system.GetExtension<NodeLeases>()
            ?? throw new InvalidOperationException($"No lease keeper is registered for {system.Name}: start the node with {nameof(ArchiverNode)}.");
        _shard = settings.LeaseName[(settings.LeaseName.LastIndexOf('-') + 1)..];
    }

    /// <summary>Makes <paramref name="keeper"/> the one every shard lease of <paramref name="system"/> takes its leases through, for <paramref name="nodeId"/>.</summary>
    public static void Register(ActorSystem system, LeaseKeeper keeper, string nodeId, ICustomerStore customers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(system);
        ((ExtendedActorSystem)system).RegisterExtension(new NodeLeasesId(new NodeLeases(keeper, nodeId, customers, time)));
    }

    public override Task<bool> Acquire() => Acquire(_ => { });

    public override async Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        using var timeout = new CancellationTokenSource(Settings.TimeoutSettings.OperationTimeout);
        var customers = await _node.ActiveCustomersAsync(_shard, timeout.Token).ConfigureAwait(false);
        return await _node.Keeper.AcquireGroupAsync(_shard, customers, _node.NodeId, leaseLostCallback, timeout.Token).ConfigureAwait(false);
    }

    public override async Task<bool> Release()
    {
        using var timeout = new CancellationTokenSource(Settings.TimeoutSettings.OperationTimeout);
        await _node.Keeper.ReleaseGroupAsync(_shard, timeout.Token).ConfigureAwait(false);
        return true;
    }

    public override bool CheckLease() => _node.Keeper.HoldsGroup(_shard);

    /// <summary>
    /// What the node's shard leases share: its keeper, its id, and one listing of the active customers by shard, read
    /// at most once a second however many shards ask (a starting node's hundred shards ask at once).
    /// </summary>
    private sealed class NodeLeases(LeaseKeeper keeper, string nodeId, ICustomerStore customers, TimeProvider time) : IExtension
    {
        private static readonly TimeSpan ListingLife = TimeSpan.FromSeconds(1);
        private readonly Lock _gate = new();
        private Task<ILookup<string, CustomerId>>? _listing;
        private long _listedAt;

        public LeaseKeeper Keeper { get; } = keeper;

        public string NodeId { get; } = nodeId;

        public async Task<IReadOnlyList<CustomerId>> ActiveCustomersAsync(string shard, CancellationToken cancellationToken)
        {
            Task<ILookup<string, CustomerId>> listing;
            lock (_gate)
            {
                if (_listing is null || _listing.IsFaulted || _listing.IsCanceled || time.GetElapsedTime(_listedAt) > ListingLife)
                {
                    _listedAt = time.GetTimestamp();
                    _listing = ListAsync();
                }

                listing = _listing;
            }

            return (await listing.WaitAsync(cancellationToken).ConfigureAwait(false))[shard].ToArray();
        }

        private async Task<ILookup<string, CustomerId>> ListAsync()
        {
            var listed = await customers.ListCustomersAsync(CancellationToken.None).ConfigureAwait(false);
            return listed.Where(c => c.State == CustomerState.Active).Select(c => c.Id).ToLookup(CustomerSharding.ShardOf, StringComparer.Ordinal);
        }
    }

    private sealed class NodeLeasesId(NodeLeases leases) : ExtensionIdProvider<NodeLeases>
    {
        public override NodeLeases CreateExtension(ExtendedActorSystem system) => leases;
    }
}
