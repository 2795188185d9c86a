using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Batching;

/// <summary>One closed session waiting in a customer's <see cref="BatchCommitter"/>, and its caller's answer.</summary>
internal sealed class PendingCommit(FinishBatchEntry entry, string accessToken)
{
    public FinishBatchEntry Entry { get; } = entry;

    /// <summary>The access token the content went up with; the freshest one in a batch commits it.</summary>
    public string AccessToken { get; } = accessToken;

    public TaskCompletionSource<FileMetadata> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Commits of this entry refused for write contention so far.</summary>
    public int ContentionRounds { get; set; }

    /// <summary>Commits of this entry that met rate limiting or a transient failure so far.</summary>
    public int FailedRounds { get; set; }

    /// <summary>True once answered or given up by its caller: it must not be committed.</summary>
    public bool IsDone => Result.Task.IsCompleted;
}
