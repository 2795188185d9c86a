namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>Lock-free tallies behind <see cref="AccountStats"/>.</summary>
internal sealed class AccountCounters
{
    private long _requests;
    private long _rateLimited;
    private long _writes;
    private long _unchangedUploads;
    private long _tokenRefreshes;

    public void Request() => Interlocked.Increment(ref _requests);

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void Write() => Interlocked.Increment(ref _writes);

    public void UnchangedUpload() => Interlocked.Increment(ref _unchangedUploads);

    public void TokenRefresh() => Interlocked.Increment(ref _tokenRefreshes);

    public AccountStats Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _rateLimited),
        Interlocked.Read(ref _writes),
        Interlocked.Read(ref _unchangedUploads))
    {
        TokenRefreshes = Interlocked.Read(ref _tokenRefreshes),
    };
}
