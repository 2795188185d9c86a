using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>A commit's outcome: a write error's tag (and conflict kind), or the stored file.</summary>
internal readonly record struct WriteResult(string? ErrorTag, string? ConflictTag, WriteOutcome Outcome);
