namespace Archiver.Core.Storage;

/// <summary>
/// Retention: removing history old enough that nobody needs it. Archived items go once their last update is older than
/// a cutoff; failed, pending and in-flight items are never removed. Journal entries go once older than their cutoff:
/// the failure types (<see cref="EventTypes.Failures"/>) by a cutoff of their own, usually further back. Every removal
/// takes at most one batch of rows, in a short transaction of its own that never waits on rows another writer holds, so
/// a caller deletes batch by batch while archiving goes on.
/// </summary>
public interface IRetentionStore
{
    /// <summary>Removes at most <paramref name="max"/> archived items last updated before <paramref name="before"/>; returns how many went.</summary>
    Task<int> PruneArchivedItemsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Removes at most <paramref name="max"/> journal entries recorded before <paramref name="before"/>: those of the
    /// failure types when <paramref name="failures"/>, every other type otherwise. Returns how many went.
    /// </summary>
    Task<int> PruneEventsAsync(DateTimeOffset before, bool failures, int max, CancellationToken cancellationToken);

    /// <summary>How many rows the cutoffs would remove now, removing nothing.</summary>
    Task<RetentionCounts> CountPrunableAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken);
}
