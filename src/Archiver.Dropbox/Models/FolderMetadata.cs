namespace Archiver.Dropbox.Models;

/// <summary>A folder as Dropbox describes it.</summary>
public sealed record FolderMetadata(string Name, string? PathLower, string? PathDisplay, string Id)
    : Metadata(Name, PathLower, PathDisplay);
