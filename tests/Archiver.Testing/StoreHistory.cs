using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Testing;

/// <summary>
/// Writes history through a store as a pipeline would have left it at the store's clock: a test gives it a store on a
/// <see cref="ManualTimeProvider"/> set in the past to make history retention has to remove.
/// </summary>
public static class StoreHistory
{
    /// <summary>
    /// Enqueues <paramref name="archived"/> + <paramref name="failed"/> items of <paramref name="customer"/>
    /// (<c>{prefix}-0</c>, <c>{prefix}-1</c>, …), claims them under a lease taken for the purpose, checkpoints the first
    /// ones archived and the rest failed, and releases the lease. Returns the archived items' ids.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ArchiveAsync(
        IArchiveStore store, CustomerId customer, string prefix, int archived, int failed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var items = Enumerable.Range(0, archived + failed)
            .Select(i => new NewItem(customer, $"{prefix}-{i}", ItemKind.Sms, GeneratedContentSource.UriFor($"{prefix}-{i}"), new ItemMetadata(DateTimeOffset.UnixEpoch, "+1", "+2")))
            .ToArray();
        var ids = (await store.EnqueueAsync(items, cancellationToken)).Select(r => r.ItemId).ToArray();
        var lease = await store.AcquireLeaseAsync(customer, "history", TimeSpan.FromMinutes(1), cancellationToken)
            ?? throw new InvalidOperationException($"{customer}'s lease is held elsewhere: history is written before a node serves the customer.");
        await store.ClaimAsync(lease, 0, ids.Length, cancellationToken);
        await store.CheckpointAsync(
            lease,
            [
                .. ids[..archived].Select(id => (ItemOutcome)new ItemOutcome.Archived(id, new ArchivedFile($"id:{id}", "rev", $"/history/{id}", "hash", 1))),
                .. ids[archived..].Select(id => new ItemOutcome.Failed(id, "unsupported")),
            ],
            cancellationToken);
        await store.ReleaseLeaseAsync(lease, cancellationToken);
        return ids[..archived];
    }
}
