namespace Archiver.Dropbox.Emulator.Files;

/// <summary>A node as it was when read under the tree's lock, safe to use after the lock is released.</summary>
/// <param name="File">The file's revision; null for a folder.</param>
internal readonly record struct EntrySnapshot(string Id, string PathDisplay, string PathLower, FileVersion? File, int UploadCount)
{
    public bool IsFolder => File is null;

    public ReadOnlySpan<char> Name => PathDisplay.AsSpan(PathDisplay.LastIndexOf('/') + 1);

    public static EntrySnapshot Of(Node node) => node switch
    {
        FileNode file => new(file.Id, file.PathDisplay, file.PathLower, file.Version, file.UploadCount),
        _ => new(node.Id, node.PathDisplay, node.PathLower, null, 0),
    };

    public EmulatorFile ToEmulatorFile() => new(
        Id, PathDisplay, File!.Size, File.ContentHash, File.Rev, UploadCount, File.ClientModified, File.ServerModified);
}
