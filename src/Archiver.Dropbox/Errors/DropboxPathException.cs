namespace Archiver.Dropbox.Errors;

/// <summary>Dropbox answered 409 about the path itself: a conflict, a bad name, no space, not found.</summary>
public sealed class DropboxPathException(
    PathErrorKind kind,
    WriteConflictKind? conflict,
    string? requestId,
    string? errorSummary)
    : DropboxRouteException(
        "path",
        $"Dropbox refused the path ({errorSummary ?? kind.ToString()}).",
        requestId,
        errorSummary)
{
    public PathErrorKind Kind { get; } = kind;

    /// <summary>For <see cref="PathErrorKind.Conflict"/>: what is in the way.</summary>
    public WriteConflictKind? Conflict { get; } = conflict;
}
