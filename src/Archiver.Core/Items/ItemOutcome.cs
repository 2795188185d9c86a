namespace Archiver.Core.Items;

/// <summary>How one claimed item ends its trip through a pipeline; written back by the checkpoint.</summary>
public abstract record ItemOutcome(long ItemId)
{
    /// <summary>The item is in Dropbox.</summary>
    public sealed record Archived(long ItemId, ArchivedFile File) : ItemOutcome(ItemId);

    /// <summary>
    /// The item goes back to pending, not before <paramref name="NotBefore"/>.
    /// <paramref name="CountsAsAttempt"/> is false where the item itself was not at fault
    /// (a rate limit, a pipeline shutting down), so such waits never push it towards failure.
    /// </summary>
    public sealed record Retry(long ItemId, DateTimeOffset NotBefore, string Reason, bool CountsAsAttempt) : ItemOutcome(ItemId);

    /// <summary>The item can never upload as it is; parked with a readable reason until an operator retries it.</summary>
    public sealed record Failed(long ItemId, string Reason) : ItemOutcome(ItemId);
}
