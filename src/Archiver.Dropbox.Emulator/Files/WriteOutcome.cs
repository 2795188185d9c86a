namespace Archiver.Dropbox.Emulator.Files;

/// <summary>How a commit ended; <see cref="Entry"/> is set for <see cref="WriteStatus.Written"/> and <see cref="WriteStatus.Unchanged"/>.</summary>
internal readonly record struct WriteOutcome(WriteStatus Status, EntrySnapshot Entry = default)
{
    public bool Succeeded => Status is WriteStatus.Written or WriteStatus.Unchanged;
}

internal enum WriteStatus
{
    /// <summary>A new revision was stored.</summary>
    Written,

    /// <summary>Identical content was already at the path: nothing was written, the existing revision stands.</summary>
    Unchanged,

    /// <summary><c>conflict/file</c>: a different file is at the path.</summary>
    FileConflict,

    /// <summary><c>conflict/folder</c>: a folder is at the path.</summary>
    FolderConflict,

    /// <summary><c>conflict/file_ancestor</c>: a file is where a parent folder would be.</summary>
    FileAncestorConflict,

    /// <summary><c>insufficient_space</c>: the account's quota would be exceeded.</summary>
    InsufficientSpace,
}
