namespace Archiver.Dropbox.Errors;

/// <summary>
/// Dropbox answered 409 with an upload session lookup error, from <c>append_v2</c> directly or from <c>finish</c>
/// under <c>lookup_failed</c>. <see cref="DropboxRouteException.Tag"/> is the lookup error's own tag.
/// </summary>
public sealed class DropboxUploadSessionException(
    UploadSessionErrorKind kind, string tag, long? correctOffset, string? requestId, string? errorSummary)
    : DropboxRouteException(tag, $"Dropbox refused the upload session ({errorSummary ?? tag}).", requestId, errorSummary)
{
    public UploadSessionErrorKind Kind { get; } = kind;

    /// <summary>For <see cref="UploadSessionErrorKind.IncorrectOffset"/>, the number of bytes the session holds.</summary>
    public long? CorrectOffset { get; } = correctOffset;
}
