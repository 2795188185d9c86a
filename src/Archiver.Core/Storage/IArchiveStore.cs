using Archiver.Cluster;
using Archiver.Customers;
using Archiver.Items;

namespace Archiver.Storage;

/// <summary>
/// Everything a node needs from its database. SQLite implements it for one node; PostgreSQL for a cluster.
/// Implementations read the current time from their <see cref="TimeProvider"/> and, after an enqueue or a retry of
/// failed items commits, pulse the <see cref="WorkSignal"/> they were given so the customer's feed wakes at once.
/// </summary>
public interface IArchiveStore
{
    /// <summary>Brings the schema to the latest version. Safe to call on every start and from several nodes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    // ---- customers ----

    /// <summary>Adds a customer. Throws <see cref="DuplicateCustomerException"/> when the id is taken.</summary>
    Task<Customer> AddCustomerAsync(NewCustomer customer, CancellationToken cancellationToken);

    Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever a customer is added or changed in any way (name, credentials, tuning, state),
    /// by any node. One small read: a node asks it every refresh and lists the customers only when it moved.
    /// </summary>
    Task<long> GetCustomersVersionAsync(CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="update"/> and journals it. Returns the updated customer, or null when it does not exist.</summary>
    Task<Customer?> UpdateCustomerAsync(CustomerId id, CustomerUpdate update, CancellationToken cancellationToken);

    /// <summary>Changes a customer's state and journals why. Returns false when the customer does not exist.</summary>
    Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken);

    // ---- items ----

    /// <summary>
    /// Stores new items. An item whose (customer, external id) is already stored is not stored again:
    /// its result carries the existing id and <see cref="EnqueueResult.Created"/> false.
    /// Results are in the order of <paramref name="items"/>.
    /// </summary>
    Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> due pending items of the lease's customer with id above
    /// <paramref name="afterId"/>, in id order, marking them in flight under the lease's fencing token.
    /// Claims nothing when the lease's token is no longer the customer's current one.
    /// </summary>
    Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken);

    /// <summary>When the customer's earliest pending item becomes due, or null when it has none.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken);

    /// <summary>
    /// Writes outcomes of items claimed under <paramref name="lease"/> in one transaction. An outcome for an item no
    /// longer in flight under that lease's fencing token is not applied and counts as rejected.
    /// </summary>
    Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>Returns every item still in flight under the lease to pending, as due now. Returns how many.</summary>
    Task<int> ReleaseClaimsAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Moves a customer's failed items back to pending, due now, and wakes its feed. Returns how many.</summary>
    Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken);

    /// <summary>A customer's items in one status, in id order, a page at a time.</summary>
    Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken);

    /// <summary>Item counts per status, for one customer or all.</summary>
    Task<IReadOnlyList<CustomerProgress>> GetProgressAsync(CustomerId? customer, CancellationToken cancellationToken);

    // ---- leases ----

    /// <summary>
    /// Takes the customer's lease for <paramref name="nodeId"/> unless another node holds an unexpired one.
    /// Every successful take bumps the fencing token and returns items claimed under older tokens to pending.
    /// The five-argument shape without a member list: only expiry or release frees another node's lease.
    /// </summary>
    Task<Lease?> AcquireLeaseAsync(CustomerId customer, string nodeId, TimeSpan duration, CancellationToken cancellationToken) =>
        AcquireLeaseAsync(customer, nodeId, duration, liveNodes: null, cancellationToken);

    /// <summary>
    /// Takes the customer's lease for <paramref name="nodeId"/> unless another node holds an unexpired one.
    /// Every successful take bumps the fencing token and returns items claimed under older tokens to pending.
    /// When <paramref name="liveNodes"/> is given, a lease held by a node not in it is taken over at once, expired or
    /// not: the cluster no longer counts that node as a member, and the new fencing token keeps its late writes out.
    /// </summary>
    Task<Lease?> AcquireLeaseAsync(
        CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken);

    /// <summary>
    /// Extends held leases, all in one round trip. Returns the renewed leases (with their new expiry); a lease missing
    /// from the result was lost (expired and taken, or released).
    /// </summary>
    Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up so another node may take it at once.</summary>
    Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Every lease currently held (not released, not expired), by customer id.</summary>
    Task<IReadOnlyList<Lease>> ListLeasesAsync(CancellationToken cancellationToken);

    // ---- membership ----

    /// <summary>Registers the node, or refreshes its row, stamping the heartbeat with the store's clock.</summary>
    Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>
    /// Registers the node (as <see cref="HeartbeatAsync"/>) and returns every registered node, itself included, as one
    /// step serialized against every other node's join: of two nodes joining at the same moment, the second sees the
    /// first, so they never both start a cluster of their own.
    /// </summary>
    Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>Removes a node that is leaving the cluster gracefully.</summary>
    Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Every registered node, live or not, by node id.</summary>
    Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken);

    // ---- journal ----

    Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    /// <summary>Events after a sequence number, oldest first.</summary>
    Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken);
}
