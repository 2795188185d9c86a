namespace Archiver.Core.Storage;

/// <summary>
/// Where each alert webhook has read the journal up to: the journal is the alerts' outbox, and a webhook's cursor moves
/// only after its receiver accepted everything up to it, so nothing is lost across an outage or a restart.
/// </summary>
public interface IAlertCursorStore
{
    /// <summary>The sequence a webhook has delivered up to, or null when it has never delivered (a new webhook).</summary>
    Task<long?> GetAlertCursorAsync(string webhook, CancellationToken cancellationToken);

    /// <summary>Moves a webhook's cursor forward to <paramref name="sequence"/>; a cursor already past it stays where it is.</summary>
    Task SaveAlertCursorAsync(string webhook, long sequence, CancellationToken cancellationToken);

    /// <summary>The sequence of the newest journal entry, 0 when the journal is empty: where a new webhook starts.</summary>
    Task<long> GetLastEventSequenceAsync(CancellationToken cancellationToken);
}
