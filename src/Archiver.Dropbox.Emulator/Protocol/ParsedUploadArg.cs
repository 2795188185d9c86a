using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>A validated upload argument.</summary>
internal sealed record ParsedUploadArg(
    string Path,
    WriteMode Mode,
    bool Autorename,
    bool StrictConflict,
    DateTimeOffset? ClientModified,
    string? ContentHash);
