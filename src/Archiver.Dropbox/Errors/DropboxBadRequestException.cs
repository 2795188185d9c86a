using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>Dropbox answered 400: the request itself is malformed. Its plain-text explanation is the message.</summary>
public sealed class DropboxBadRequestException(string explanation, string? requestId)
    : DropboxException(explanation, HttpStatusCode.BadRequest, requestId, errorSummary: null);
