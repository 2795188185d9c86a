using System.Net;

namespace Archiver.Dropbox.Errors;

/// <summary>Dropbox answered 401: the access token cannot be used for this call.</summary>
public sealed class DropboxAuthException(
    AuthErrorKind kind,
    string? requiredScope,
    string? requestId,
    string? errorSummary)
    : DropboxException(
        $"Dropbox refused the access token ({errorSummary ?? kind.ToString()}).",
        HttpStatusCode.Unauthorized,
        requestId,
        errorSummary)
{
    public AuthErrorKind Kind { get; } = kind;

    /// <summary>For <see cref="AuthErrorKind.MissingScope"/>: the scope the app lacks.</summary>
    public string? RequiredScope { get; } = requiredScope;
}
