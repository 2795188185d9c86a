using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>Dropbox answered 429: wait <see cref="RetryAfter"/> before calling again for this account.</summary>
public sealed class DropboxRateLimitException(
    TimeSpan retryAfter,
    RateLimitReason reason,
    string? requestId,
    string? errorSummary)
    : DropboxException(
        $"Dropbox is rate limiting this account ({Describe(reason)}); retry after {retryAfter.TotalSeconds:0.#} s.",
        HttpStatusCode.TooManyRequests,
        requestId,
        errorSummary)
{
    /// <summary>The longest of the <c>Retry-After</c> header, the body's <c>retry_after</c> and one second.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    public RateLimitReason Reason { get; } = reason;

    private static string Describe(RateLimitReason reason) => reason switch
    {
        RateLimitReason.TooManyWriteOperations => "too many write operations",
        _ => "too many requests",
    };
}
