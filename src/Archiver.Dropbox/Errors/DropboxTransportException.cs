namespace Archiver.Dropbox.Errors;

/// <summary>No usable answer arrived: the connection failed, the call timed out, or the response was cut short.</summary>
public sealed class DropboxTransportException(string message, Exception? innerException = null)
    : DropboxException(message, statusCode: null, requestId: null, errorSummary: null, innerException);
