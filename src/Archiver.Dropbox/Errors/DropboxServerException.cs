using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>Dropbox answered 5xx: a fault on its side that usually passes.</summary>
public sealed class DropboxServerException(HttpStatusCode statusCode, string? requestId)
    : DropboxException(
        $"Dropbox had a server error ({(int)statusCode} {statusCode}).",
        statusCode,
        requestId,
        errorSummary: null);
