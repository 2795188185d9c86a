using Archiver.Core.Customers;
using Archiver.Core.Uploads;
using Archiver.Dropbox.Errors;

namespace Archiver.Dropbox;

/// <summary>What each Dropbox failure means for the pipeline, with a reason a person can read.</summary>
internal static class UploadFailureMapping
{
    public static UploadResult ToResult(DropboxException failure, string path) => failure switch
    {
        DropboxRateLimitException { Reason: RateLimitReason.TooManyWriteOperations } => WriteContention(),
        DropboxRateLimitException e => new UploadResult.RateLimited(e.RetryAfter, RateLimitReasonText(e.Reason)),
        DropboxAuthException e => new UploadResult.CustomerBlocked(CustomerState.NeedsReauth, AuthReason(e)),
        DropboxPathException e => PathResult(e, path),
        DropboxUploadSessionException e => new UploadResult.Transient(
            $"The upload session failed ({e.ErrorSummary ?? e.Tag}); the upload must start again."),
        DropboxRouteException { Tag: "too_many_write_operations" } => WriteContention(),
        DropboxRouteException { Tag: "payload_too_large" } => new UploadResult.Permanent(
            "The file is larger than the 150 MiB Dropbox accepts in a single upload."),
        DropboxRouteException { Tag: "content_hash_mismatch" } => new UploadResult.Transient(
            "Dropbox received different bytes than were sent (content_hash_mismatch)."),
        DropboxRouteException e => new UploadResult.Transient($"Dropbox refused the upload ({e.ErrorSummary ?? e.Tag})."),
        DropboxBadRequestException e => new UploadResult.Permanent($"Dropbox rejected the request: {e.Message}"),
        DropboxServerException e => new UploadResult.Transient(e.Message),
        _ => new UploadResult.Transient(failure.Message),
    };

    private static UploadResult PathResult(DropboxPathException e, string path) => e.Kind switch
    {
        PathErrorKind.TooManyWriteOperations => WriteContention(),
        PathErrorKind.InsufficientSpace => new UploadResult.CustomerBlocked(
            CustomerState.StorageFull, "The customer's Dropbox is full."),
        PathErrorKind.Conflict => new UploadResult.Permanent(ConflictReason(e.Conflict, path)),
        PathErrorKind.MalformedPath => new UploadResult.Permanent($"Dropbox does not accept the path {path}."),
        PathErrorKind.DisallowedName => new UploadResult.Permanent($"Dropbox does not allow the file name in {path}."),
        PathErrorKind.NoWritePermission => new UploadResult.Permanent($"There is no permission to write to {path}."),
        PathErrorKind.TeamFolder or PathErrorKind.AccessRestricted or PathErrorKind.OperationSuppressed =>
            new UploadResult.Permanent($"Dropbox does not allow writing to {path} ({e.ErrorSummary ?? e.Kind.ToString()})."),
        _ => new UploadResult.Transient($"Dropbox refused the path {path} ({e.ErrorSummary ?? "unknown reason"})."),
    };

    private static string ConflictReason(WriteConflictKind? conflict, string path) => conflict switch
    {
        WriteConflictKind.Folder => $"A folder already exists at {path}.",
        WriteConflictKind.FileAncestor => $"A file is in the way of the folders of {path}.",

        // Identical content would have been accepted as already there, so a conflict means different content.
        _ => $"A different file already exists at {path}.",
    };

    private static string AuthReason(DropboxAuthException e) => e.Kind switch
    {
        AuthErrorKind.ExpiredAccessToken => "The Dropbox access token has expired.",
        AuthErrorKind.InvalidAccessToken when e.ErrorSummary?.StartsWith("invalid_grant", StringComparison.Ordinal) == true =>
            "Dropbox no longer accepts the refresh token (invalid_grant); the customer must reconnect.",
        AuthErrorKind.InvalidAccessToken => "Dropbox no longer accepts the access token; the customer must reconnect.",
        AuthErrorKind.MissingScope => $"The Dropbox app lacks the permission {e.RequiredScope ?? "it needs"}.",
        AuthErrorKind.InvalidApp => $"Dropbox refused the app's key or secret ({e.ErrorSummary ?? "invalid_client"}): " +
            "fix archiver.dropbox.app-key and app-secret, restart the node, then resume the customer.",
        AuthErrorKind.UserSuspended => "The customer's Dropbox account is suspended.",
        _ => $"Dropbox refused the access token ({e.ErrorSummary ?? "no details"}).",
    };

    private static string RateLimitReasonText(RateLimitReason reason) => reason switch
    {
        RateLimitReason.TooManyWriteOperations => "Dropbox is busy with other writes to this account (too many write operations).",
        _ => "Dropbox is rate limiting this account (too many requests).",
    };

    /// <summary>
    /// Namespace lock contention is not rate limiting: pausing the customer's calls would not clear it. The target
    /// already backed off and resent; what reaches here goes back to the item's own retry.
    /// </summary>
    private static UploadResult.Transient WriteContention() =>
        new("Dropbox is busy with other writes to this account (too many write operations).");
}
