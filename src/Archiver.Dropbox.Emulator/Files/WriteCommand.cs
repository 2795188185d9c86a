namespace Archiver.Dropbox.Emulator.Files;

/// <summary>An upload whose body has been received in full, ready to commit.</summary>
internal sealed record WriteCommand(
    string Path,
    WriteMode Mode,
    bool Autorename,
    bool StrictConflict,
    DateTimeOffset? ClientModified,
    long Size,
    string ContentHash);
