namespace Archiver.Dropbox.Models;

/// <summary>One closed upload session to commit in a batch: the session, the bytes it holds, and where it goes.</summary>
public sealed record FinishBatchEntry(string SessionId, long Offset, CommitInfo Commit);
