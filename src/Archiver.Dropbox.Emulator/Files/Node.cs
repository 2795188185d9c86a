namespace Archiver.Dropbox.Emulator.Files;

/// <summary>A file or folder in an account's tree. Only <see cref="FileTree"/> changes nodes, under its lock.</summary>
internal abstract class Node(string pathDisplay, string id)
{
    /// <summary>The full path with the casing it was first created with; the root is "".</summary>
    public string PathDisplay { get; } = pathDisplay;

    public string PathLower { get; } = pathDisplay.ToLowerInvariant();

    public string Id { get; } = id;
}

/// <summary>A folder; its children are listed in creation order.</summary>
internal sealed class FolderNode(string pathDisplay, string id) : Node(pathDisplay, id)
{
    public List<Node> Children { get; } = [];
}

/// <summary>A file and its current revision.</summary>
internal sealed class FileNode(string pathDisplay, string id, FileVersion version) : Node(pathDisplay, id)
{
    public FileVersion Version { get; set; } = version;

    public int UploadCount { get; set; } = 1;
}
