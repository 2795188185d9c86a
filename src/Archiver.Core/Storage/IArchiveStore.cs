namespace Archiver.Core.Storage;

/// <summary>
/// Everything a node needs from its database, one port per concern: the <see cref="IItemQueue"/>, the
/// <see cref="ICustomerStore"/>, the <see cref="IEventJournal"/>, the <see cref="ILeaseStore"/>, the
/// <see cref="INodeRegistry"/>, the <see cref="IRetentionStore"/> and the <see cref="IAlertCursorStore"/>, plus the schema
/// they share. SQLite implements it for one node; PostgreSQL for a cluster. Implementations read the current time from
/// their <see cref="TimeProvider"/> and, after an enqueue or a retry of failed items commits, pulse the
/// <see cref="WorkSignal"/> they were given so the customer's feed wakes at once.
/// </summary>
public interface IArchiveStore : IItemQueue, ICustomerStore, IEventJournal, ILeaseStore, INodeRegistry, IRetentionStore, IAlertCursorStore
{
    /// <summary>Brings the schema to the latest version. Safe to call on every start and from several nodes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}
