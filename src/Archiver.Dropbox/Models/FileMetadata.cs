namespace Archiver.Dropbox.Models;

/// <summary>A stored file as Dropbox describes it.</summary>
/// <param name="Id">Stable across renames: <c>id:…</c>.</param>
/// <param name="Rev">This revision of the file's content.</param>
/// <param name="ContentHash">See <see cref="Hashing.DropboxContentHasher"/>.</param>
public sealed record FileMetadata(
    string Name,
    string? PathLower,
    string? PathDisplay,
    string Id,
    DateTimeOffset ClientModified,
    DateTimeOffset ServerModified,
    string Rev,
    long Size,
    string? ContentHash,
    bool IsDownloadable = true);
