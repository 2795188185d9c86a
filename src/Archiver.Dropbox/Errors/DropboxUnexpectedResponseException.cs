using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>
/// Dropbox answered in a way this client does not expect: a status it does not handle (403, 422, …) or a success
/// whose body could not be read.
/// </summary>
public sealed class DropboxUnexpectedResponseException(
    HttpStatusCode statusCode,
    string message,
    string? requestId,
    string? errorSummary,
    Exception? innerException = null)
    : DropboxException(message, statusCode, requestId, errorSummary, innerException);
