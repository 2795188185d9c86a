using Archiver.Core.Cluster;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Testing;

/// <summary>Forwards every call to a real store; tests override the calls they want to slow down or break.</summary>
public class DelegatingArchiveStore(IArchiveStore inner) : IArchiveStore
{
    public IArchiveStore Inner { get; } = inner;

    public virtual Task MigrateAsync(CancellationToken cancellationToken) => Inner.MigrateAsync(cancellationToken);

    public virtual Task<Customer> AddCustomerAsync(NewCustomer customer, CancellationToken cancellationToken) => Inner.AddCustomerAsync(customer, cancellationToken);

    public virtual Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken cancellationToken) => Inner.GetCustomerAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken) => Inner.ListCustomersAsync(cancellationToken);

    public virtual Task<long> GetCustomersVersionAsync(CancellationToken cancellationToken) => Inner.GetCustomersVersionAsync(cancellationToken);

    public virtual Task<Customer?> UpdateCustomerAsync(CustomerId id, CustomerUpdate update, CancellationToken cancellationToken) =>
        Inner.UpdateCustomerAsync(id, update, cancellationToken);

    public virtual Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken) =>
        Inner.SetCustomerStateAsync(id, state, reason, cancellationToken);

    public virtual Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken) =>
        Inner.EnqueueAsync(items, cancellationToken);

    public virtual Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken) =>
        Inner.ClaimAsync(lease, afterId, max, cancellationToken);

    public virtual Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken) => Inner.NextDueAtAsync(customer, cancellationToken);

    public virtual Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken) =>
        Inner.CheckpointAsync(lease, outcomes, cancellationToken);

    /// <summary>
    /// Each lease's outcomes through <see cref="CheckpointAsync(Lease, IReadOnlyList{ItemOutcome}, CancellationToken)"/>,
    /// one after another, so a test that overrides that one sees every checkpoint the node writes.
    /// </summary>
    public virtual async Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken)
    {
        var results = new List<CheckpointResult>(checkpoints.Count);
        foreach (var (lease, outcomes) in checkpoints)
        {
            results.Add(await CheckpointAsync(lease, outcomes, cancellationToken));
        }

        return results;
    }

    public virtual Task<int> ReleaseClaimsAsync(Lease lease, CancellationToken cancellationToken) => Inner.ReleaseClaimsAsync(lease, cancellationToken);

    public virtual Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken) => Inner.RetryFailedAsync(customer, cancellationToken);

    public virtual Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken) => Inner.ListItemsAsync(query, cancellationToken);

    public virtual Task<IReadOnlyList<CustomerProgress>> GetProgressAsync(CustomerId? customer, CancellationToken cancellationToken) =>
        Inner.GetProgressAsync(customer, cancellationToken);

    /// <summary>Goes through the five-argument shape, so a test that overrides that one sees every take.</summary>
    public virtual Task<Lease?> AcquireLeaseAsync(
        CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken) =>
        Inner.AcquireLeaseAsync(customer, nodeId, duration, liveNodes, cancellationToken);

    public virtual Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken) =>
        Inner.RenewLeasesAsync(leases, duration, cancellationToken);

    public virtual Task<IReadOnlyList<Lease>> ListLeasesAsync(CancellationToken cancellationToken) => Inner.ListLeasesAsync(cancellationToken);

    public virtual Task HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) => Inner.HeartbeatAsync(heartbeat, cancellationToken);

    public virtual Task<IReadOnlyList<ClusterNode>> JoinClusterAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken) =>
        Inner.JoinClusterAsync(heartbeat, cancellationToken);

    public virtual Task LeaveClusterAsync(string nodeId, CancellationToken cancellationToken) => Inner.LeaveClusterAsync(nodeId, cancellationToken);

    public virtual Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken) => Inner.ListNodesAsync(cancellationToken);

    public virtual Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken) => Inner.ReleaseLeaseAsync(lease, cancellationToken);

    public virtual Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken) => Inner.AppendEventsAsync(events, cancellationToken);

    public virtual Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken) => Inner.ReadEventsAsync(query, cancellationToken);

    public virtual Task<int> PruneArchivedItemsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        Inner.PruneArchivedItemsAsync(before, max, cancellationToken);

    public virtual Task<int> PruneEventsAsync(DateTimeOffset before, bool failures, int max, CancellationToken cancellationToken) =>
        Inner.PruneEventsAsync(before, failures, max, cancellationToken);

    public virtual Task<RetentionCounts> CountPrunableAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken) =>
        Inner.CountPrunableAsync(cutoffs, cancellationToken);

    public virtual Task<long?> GetAlertCursorAsync(string webhook, CancellationToken cancellationToken) => Inner.GetAlertCursorAsync(webhook, cancellationToken);

    public virtual Task SaveAlertCursorAsync(string webhook, long sequence, CancellationToken cancellationToken) =>
        Inner.SaveAlertCursorAsync(webhook, sequence, cancellationToken);

    public virtual Task<long> GetLastEventSequenceAsync(CancellationToken cancellationToken) => Inner.GetLastEventSequenceAsync(cancellationToken);
}
