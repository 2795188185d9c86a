namespace Archiver.Dropbox.Emulator;

/// <summary>How a commit refused for write-lock contention (<c>too_many_write_operations</c>) is answered.</summary>
public enum WriteContentionShape
{
    /// <summary>429 with a <c>RateLimitError</c> whose reason is <c>too_many_write_operations</c>.</summary>
    RateLimit429,

    /// <summary>409 with the route's <c>too_many_write_operations</c> error.</summary>
    Conflict409,

    /// <summary>
    /// Inside a batch commit: 200, with the refused entries failing <c>too_many_write_operations</c> on their own.
    /// Single commits (upload, finish) answer 409 instead.
    /// </summary>
    EntryFailure,
}
