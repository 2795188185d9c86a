using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Core.Storage;

/// <summary>
/// The work queue: items stored once per (customer, external id), claimed in id order under a customer's lease, and
/// checkpointed back with its fencing token. After an enqueue or a retry of failed items commits, the store pulses
/// the <see cref="WorkSignal"/> it was given so the customer's feed wakes at once.
/// </summary>
public interface IItemQueue
{
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

    /// <summary>
    /// Writes the outcomes of several leases, usually of several customers, in one transaction: a node's customers
    /// checkpoint together (group commit). Each lease's outcomes apply, or are rejected, as
    /// <see cref="CheckpointAsync(Lease, IReadOnlyList{ItemOutcome}, CancellationToken)"/> would on its own; one
    /// stale lease rejects only its own outcomes. Results are in the order of <paramref name="checkpoints"/>.
    /// </summary>
    Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken);

    /// <summary>Returns every item still in flight under the lease to pending, as due now. Returns how many.</summary>
    Task<int> ReleaseClaimsAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Moves a customer's failed items back to pending, due now, and wakes its feed. Returns how many.</summary>
    Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken);

    /// <summary>A customer's items in one status, in id order, a page at a time.</summary>
    Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken);

    /// <summary>Item counts per status, for one customer or all.</summary>
    Task<IReadOnlyList<CustomerProgress>> GetProgressAsync(CustomerId? customer, CancellationToken cancellationToken);
}
