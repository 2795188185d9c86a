namespace Archiver.Dropbox.Emulator.Files;

/// <summary>
/// One account's files and folders, as metadata, with Dropbox's commit rules (§5.4 of the API notes):
/// case-insensitive paths; identical content is a no-op; a different file is a conflict unless the mode overwrites;
/// a folder at the path or a file in place of a parent folder is always a conflict; missing parents are created.
/// One lock guards the tree; it is held only while nodes are read or changed, never while a body is received.
/// </summary>
internal sealed class FileTree
{
    private readonly Lock _gate = new();
    private readonly Identifiers _identifiers;
    private readonly FolderNode _root = new(string.Empty, "id:root");
    private readonly Dictionary<string, Node> _byPath = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _byPathSpan;
    private long _usedBytes;

    public FileTree(Identifiers identifiers)
    {
        _identifiers = identifiers;
        _byPathSpan = _byPath.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Commits a received upload whose path already passed <see cref="PathRules"/>.</summary>
    public WriteOutcome Commit(WriteCommand command, DateTimeOffset now, long? quotaBytes)
    {
        var path = command.Path;
        var lastSlash = path.LastIndexOf('/');
        lock (_gate)
        {
            var parent = _root;
            for (var slash = path.IndexOf('/', 1); slash > 0 && slash <= lastSlash; slash = path.IndexOf('/', slash + 1))
            {
                if (!_byPathSpan.TryGetValue(path.AsSpan(0, slash), out var ancestor))
                {
                    break;
                }

                if (ancestor is not FolderNode folder)
                {
                    return new(WriteStatus.FileAncestorConflict);
                }

                parent = folder;
            }

            var target = path;
            var allAncestorsExist = parent.PathDisplay.Length == lastSlash;
            if (allAncestorsExist && _byPath.TryGetValue(path, out var existing))
            {
                if (existing is FileNode file && TryUpdateInPlace(file, command, now, quotaBytes, out var outcome))
                {
                    return outcome;
                }

                if (!command.Autorename)
                {
                    return new(existing is FolderNode ? WriteStatus.FolderConflict : WriteStatus.FileConflict);
                }

                target = FreeName(path, lastSlash);
            }
            else if (command.Mode.Kind == WriteModeKind.Update && !command.Autorename)
            {
                return new(WriteStatus.FileConflict);
            }

            if (quotaBytes is { } quota && _usedBytes + command.Size > quota)
            {
                return new(WriteStatus.InsufficientSpace);
            }

            parent = CreateMissingFolders(parent, path, lastSlash);
            var created = new FileNode(
                string.Concat(parent.PathDisplay, target.AsSpan(lastSlash)),
                Identifiers.NewId(),
                NewVersion(command, now));
            Add(parent, created);
            _usedBytes += command.Size;
            return new(WriteStatus.Written, EntrySnapshot.Of(created));
        }
    }

    public EntrySnapshot? Find(string path)
    {
        lock (_gate)
        {
            return _byPath.TryGetValue(path, out var node) ? EntrySnapshot.Of(node) : null;
        }
    }

    /// <summary>The entries of a folder ("" is the root) whose lowercase path sorts after <paramref name="after"/>.</summary>
    public ListingPage List(string folderPath, bool recursive, string? after, int limit)
    {
        var entries = new List<EntrySnapshot>();
        lock (_gate)
        {
            Node? node = folderPath.Length == 0 ? _root : _byPath.GetValueOrDefault(folderPath);
            if (node is not FolderNode folder)
            {
                return new(node is null ? ListingStatus.NotFound : ListingStatus.NotFolder, entries, HasMore: false);
            }

            Collect(folder, recursive, after, entries);
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.PathLower, b.PathLower));
        var hasMore = entries.Count > limit;
        if (hasMore)
        {
            entries.RemoveRange(limit, entries.Count - limit);
        }

        return new(ListingStatus.Listed, entries, hasMore);
    }

    public IReadOnlyList<EmulatorFile> Files()
    {
        var files = new List<EntrySnapshot>();
        lock (_gate)
        {
            foreach (var node in _byPath.Values)
            {
                if (node is FileNode)
                {
                    files.Add(EntrySnapshot.Of(node));
                }
            }
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.PathLower, b.PathLower));
        return files.ConvertAll(static file => file.ToEmulatorFile());
    }

    /// <summary>
    /// Handles a file already at the path when no new node is needed: identical content (a no-op) or a mode that
    /// replaces it. False when the write conflicts instead.
    /// </summary>
    private bool TryUpdateInPlace(FileNode file, WriteCommand command, DateTimeOffset now, long? quotaBytes, out WriteOutcome outcome)
    {
        var current = file.Version;
        if (!command.StrictConflict && current.Size == command.Size
            && string.Equals(current.ContentHash, command.ContentHash, StringComparison.Ordinal))
        {
            file.UploadCount++;
            outcome = new(WriteStatus.Unchanged, EntrySnapshot.Of(file));
            return true;
        }

        var replaces = command.Mode.Kind == WriteModeKind.Overwrite
            || (command.Mode.Kind == WriteModeKind.Update && command.Mode.Rev == current.Rev);
        if (!replaces)
        {
            outcome = default;
            return false;
        }

        if (quotaBytes is { } quota && _usedBytes - current.Size + command.Size > quota)
        {
            outcome = new(WriteStatus.InsufficientSpace);
            return true;
        }

        _usedBytes += command.Size - current.Size;
        file.Version = NewVersion(command, now);
        file.UploadCount++;
        outcome = new(WriteStatus.Written, EntrySnapshot.Of(file));
        return true;
    }

    /// <summary>The first of <c>name (1).ext</c>, <c>name (2).ext</c>, … that nothing occupies.</summary>
    private string FreeName(string path, int lastSlash)
    {
        var dot = path.LastIndexOf('.');
        if (dot <= lastSlash + 1)
        {
            dot = path.Length;
        }

        for (var n = 1; ; n++)
        {
            var candidate = string.Concat(path.AsSpan(0, dot), $" ({n})", path.AsSpan(dot));
            if (!_byPath.ContainsKey(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Creates the folders between the deepest existing one and the file, keeping existing folders' casing.</summary>
    private FolderNode CreateMissingFolders(FolderNode parent, string path, int lastSlash)
    {
        var start = parent.PathDisplay.Length;
        while (start < lastSlash)
        {
            var slash = path.IndexOf('/', start + 1);
            var folder = new FolderNode(string.Concat(parent.PathDisplay, path.AsSpan(start, slash - start)), Identifiers.NewId());
            Add(parent, folder);
            parent = folder;
            start = slash;
        }

        return parent;
    }

    private FileVersion NewVersion(WriteCommand command, DateTimeOffset now) =>
        new(_identifiers.NextRev(), command.Size, command.ContentHash, command.ClientModified ?? now, now);

    private void Add(FolderNode parent, Node child)
    {
        _byPath.Add(child.PathDisplay, child);
        parent.Children.Add(child);
    }

    private static void Collect(FolderNode folder, bool recursive, string? after, List<EntrySnapshot> entries)
    {
        foreach (var child in folder.Children)
        {
            if (after is null || string.CompareOrdinal(child.PathLower, after) > 0)
            {
                entries.Add(EntrySnapshot.Of(child));
            }

            if (recursive && child is FolderNode subfolder)
            {
                Collect(subfolder, recursive, after, entries);
            }
        }
    }
}
