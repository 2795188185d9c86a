namespace Archiver.Core.Storage;

/// <summary>
/// The journal: what happened to customers, their pipelines, leases and items (<see cref="EventTypes"/>), in the order
/// it happened, for operators to read.
/// </summary>
public interface IEventJournal
{
    /// <summary>Appends events, in order, each stamped with the store's clock and an increasing sequence number.</summary>
    Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    /// <summary>Events after a sequence number, oldest first.</summary>
    Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken);
}
