using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>A Dropbox call that did not succeed. The subclass says what kind of failure it was.</summary>
public abstract class DropboxException : Exception
{
    protected DropboxException(
        string message,
        HttpStatusCode? statusCode,
        string? requestId,
        string? errorSummary,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        RequestId = requestId;
        ErrorSummary = errorSummary;
    }

    /// <summary>The HTTP status Dropbox answered with; null when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Dropbox's <c>X-Dropbox-Request-Id</c>, for Dropbox support.</summary>
    public string? RequestId { get; }

    /// <summary>Dropbox's <c>error_summary</c>, for people only: its exact text varies, so never compare it.</summary>
    public string? ErrorSummary { get; }
}
