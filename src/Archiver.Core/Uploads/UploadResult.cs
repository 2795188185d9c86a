using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Core.Uploads;

/// <summary>How an upload ended, as the pipeline needs to know it.</summary>
public abstract record UploadResult
{
    private UploadResult()
    {
    }

    /// <summary>The file is in Dropbox (newly written, or identical content was already there).</summary>
    public sealed record Uploaded(ArchivedFile File) : UploadResult;

    /// <summary>Dropbox pushed back: the whole customer waits <paramref name="RetryAfter"/>; the item is not at fault.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter, string Reason) : UploadResult;

    /// <summary>
    /// May succeed later (network, 5xx, timeouts): the item retries with backoff. <paramref name="CountsAsAttempt"/> is
    /// false when the item was not at fault and may go again at once, e.g. its access token expired mid-stream, was
    /// renewed, and the content cannot be read a second time in this attempt.
    /// </summary>
    public sealed record Transient(string Reason, bool CountsAsAttempt = true) : UploadResult;

    /// <summary>Can never succeed as it is: the item is parked as failed with this reason.</summary>
    public sealed record Permanent(string Reason) : UploadResult;

    /// <summary>
    /// Nothing of this customer can upload until someone acts (token revoked, storage full): the customer is parked
    /// in <paramref name="State"/>, the item stays pending.
    /// </summary>
    public sealed record CustomerBlocked(CustomerState State, string Reason) : UploadResult;
}
