namespace Archiver.Dropbox.Emulator;

/// <summary>What an emulated account has seen.</summary>
/// <param name="Requests">API calls made with the account's token.</param>
/// <param name="RateLimited">Calls answered 429.</param>
/// <param name="Writes">Uploads that stored a new revision.</param>
/// <param name="UnchangedUploads">Uploads of content identical to the file already at the path (no new revision).</param>
public sealed record AccountStats(long Requests, long RateLimited, long Writes, long UnchangedUploads)
{
    /// <summary>Access tokens issued from the account's refresh token by <c>/oauth2/token</c>.</summary>
    public long TokenRefreshes { get; init; }
}
