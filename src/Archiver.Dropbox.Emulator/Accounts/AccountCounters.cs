namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>Lock-free tallies behind <see cref="AccountStats"/>.</summary>
internal sealed class AccountCounters
{
    private long _requests;
    private long _rateLimited;
    private long _writes;
    private long _unchangedUploads;
    private long _tokenRefreshes;
    private long _tooManyRequests;
    private long _tooManyWriteOperations;
    private long _contendedWrites;
    private long _batchCommits;
    private long _batchEntries;
    private long _largestBatch;
    private long _serverErrorsInjected;
    private long _connectionsDropped;

    public void Request() => Interlocked.Increment(ref _requests);

    /// <summary>A 429 <c>too_many_requests</c>.</summary>
    public void RateLimited()
    {
        Interlocked.Increment(ref _rateLimited);
        Interlocked.Increment(ref _tooManyRequests);
    }

    /// <summary>A commit refused for contention; <paramref name="as429"/> when it was answered 429.</summary>
    public void ContendedWrite(bool as429)
    {
        Interlocked.Increment(ref _contendedWrites);
        if (as429)
        {
            Interlocked.Increment(ref _rateLimited);
            Interlocked.Increment(ref _tooManyWriteOperations);
        }
    }

    public void Write() => Interlocked.Increment(ref _writes);

    public void UnchangedUpload() => Interlocked.Increment(ref _unchangedUploads);

    public void TokenRefresh() => Interlocked.Increment(ref _tokenRefreshes);

    public void BatchCommit(int entries)
    {
        Interlocked.Increment(ref _batchCommits);
        Interlocked.Add(ref _batchEntries, entries);
        long largest;
        while (entries > (largest = Interlocked.Read(ref _largestBatch))
            && Interlocked.CompareExchange(ref _largestBatch, entries, largest) != largest)
        {
        }
    }

    public void ServerErrorInjected() => Interlocked.Increment(ref _serverErrorsInjected);

    public void ConnectionDropped() => Interlocked.Increment(ref _connectionsDropped);

    public AccountStats Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _rateLimited),
        Interlocked.Read(ref _writes),
        Interlocked.Read(ref _unchangedUploads))
    {
        TokenRefreshes = Interlocked.Read(ref _tokenRefreshes),
        TooManyRequests = Interlocked.Read(ref _tooManyRequests),
        TooManyWriteOperations = Interlocked.Read(ref _tooManyWriteOperations),
        ContendedWrites = Interlocked.Read(ref _contendedWrites),
        BatchCommits = Interlocked.Read(ref _batchCommits),
        BatchEntries = Interlocked.Read(ref _batchEntries),
        LargestBatch = Interlocked.Read(ref _largestBatch),
        ServerErrorsInjected = Interlocked.Read(ref _serverErrorsInjected),
        ConnectionsDropped = Interlocked.Read(ref _connectionsDropped),
    };
}
