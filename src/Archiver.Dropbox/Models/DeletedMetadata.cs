namespace Archiver.Dropbox.Models;

/// <summary>Something that was at this path and was deleted (listed only when deleted entries are asked for).</summary>
public sealed record DeletedMetadata(string Name, string? PathLower, string? PathDisplay)
    : Metadata(Name, PathLower, PathDisplay);
