namespace Archiver.Dropbox.Errors;

/// <summary>The tags of Dropbox's <c>WriteError</c> (uploads) and <c>LookupError</c> (metadata, listing).</summary>
public enum PathErrorKind
{
    /// <summary>A tag this client does not know.</summary>
    Other,

    MalformedPath,

    /// <summary>Something else is at the path; see <see cref="DropboxPathException.Conflict"/>.</summary>
    Conflict,

    NoWritePermission,

    InsufficientSpace,

    DisallowedName,

    TeamFolder,

    OperationSuppressed,

    /// <summary>Namespace lock contention: the same request may be retried after a short wait.</summary>
    TooManyWriteOperations,

    AccessRestricted,

    NotFound,

    NotFile,

    NotFolder,

    RestrictedContent,

    UnsupportedContentType,

    Locked,
}
