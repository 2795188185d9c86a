namespace Archiver.Dropbox.Emulator;

/// <summary>What an emulated account has seen.</summary>
/// <param name="Requests">API calls made with the account's token.</param>
/// <param name="RateLimited">Calls answered 429, for any reason.</param>
/// <param name="Writes">Commits (uploads, finishes, batch entries) that stored a new revision.</param>
/// <param name="UnchangedUploads">Commits of content identical to the file already at the path (no new revision).</param>
public sealed record AccountStats(long Requests, long RateLimited, long Writes, long UnchangedUploads)
{
    /// <summary>Access tokens issued from the account's refresh token by <c>/oauth2/token</c>.</summary>
    public long TokenRefreshes { get; init; }

    /// <summary>Calls answered 429 <c>too_many_requests</c> (the account's rate limit).</summary>
    public long TooManyRequests { get; init; }

    /// <summary>Calls answered 429 <c>too_many_write_operations</c> (write-lock contention).</summary>
    public long TooManyWriteOperations { get; init; }

    /// <summary>Commits or batch entries refused for write-lock contention, in any shape (429, 409, failed entry).</summary>
    public long ContendedWrites { get; init; }

    /// <summary>Batch commits (<c>finish_batch</c>, <c>finish_batch_v2</c>) that reached the file tree.</summary>
    public long BatchCommits { get; init; }

    /// <summary>Entries those batch commits carried, all together.</summary>
    public long BatchEntries { get; init; }

    /// <summary>The most entries one batch commit carried.</summary>
    public long LargestBatch { get; init; }

    /// <summary>Calls answered with an injected 5xx (a share or <c>FailNextRequests</c>).</summary>
    public long ServerErrorsInjected { get; init; }

    /// <summary>Calls whose connection was aborted on purpose (mid-body drops and lost append answers).</summary>
    public long ConnectionsDropped { get; init; }
}
