using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>
/// Dropbox answered 409: the call was understood but its route refused it, e.g. <c>payload_too_large</c> or
/// <c>content_hash_mismatch</c>. Errors about the path are the more specific <see cref="DropboxPathException"/>.
/// </summary>
public class DropboxRouteException(string tag, string message, string? requestId, string? errorSummary)
    : DropboxException(message, HttpStatusCode.Conflict, requestId, errorSummary)
{
    /// <summary>The route error's <c>.tag</c> as Dropbox sent it, or <c>other</c> when it had none.</summary>
    public string Tag { get; } = tag;
}
