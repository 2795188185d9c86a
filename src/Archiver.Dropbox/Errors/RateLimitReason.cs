namespace Archiver.Dropbox.Errors;

/// <summary>Why Dropbox asked to slow down.</summary>
public enum RateLimitReason
{
    /// <summary>Too many calls for this authorization.</summary>
    TooManyRequests,

    /// <summary>Too many simultaneous writes into the same namespace (lock contention).</summary>
    TooManyWriteOperations,
}
