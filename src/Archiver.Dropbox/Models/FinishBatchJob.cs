namespace Archiver.Dropbox.Models;

/// <summary>
/// The state of a <c>finish_batch</c> job: still running (<see cref="AsyncJobId"/> to poll) or complete
/// (<see cref="Entries"/>, in the order they were sent).
/// </summary>
public sealed record FinishBatchJob(string? AsyncJobId, IReadOnlyList<FinishBatchEntryResult>? Entries)
{
    public bool IsComplete => Entries is not null;
}
