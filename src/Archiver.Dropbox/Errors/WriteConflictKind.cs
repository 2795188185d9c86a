namespace Archiver.Dropbox.Errors;

/// <summary>What is in the way of a write (Dropbox's <c>WriteConflictError</c>).</summary>
public enum WriteConflictKind
{
    /// <summary>A tag this client does not know.</summary>
    Other,

    /// <summary>A file with different content is at the path.</summary>
    File,

    /// <summary>A folder is at the path.</summary>
    Folder,

    /// <summary>A file sits where one of the parent folders would have to be.</summary>
    FileAncestor,
}
