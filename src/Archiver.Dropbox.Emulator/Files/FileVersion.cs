namespace Archiver.Dropbox.Emulator.Files;

/// <summary>One revision of a file's content, as metadata only. Immutable: a new write replaces it whole.</summary>
internal sealed record FileVersion(
    string Rev,
    long Size,
    string ContentHash,
    DateTimeOffset ClientModified,
    DateTimeOffset ServerModified);
