namespace Archiver.Dropbox.Models;

/// <summary>Where and how an upload is committed (Dropbox's <c>CommitInfo</c>).</summary>
/// <param name="Path">The destination, starting with <c>/</c>.</param>
public sealed record CommitInfo(string Path)
{
    public WriteMode Mode { get; init; } = WriteMode.Add;

    /// <summary>On a conflict, let Dropbox pick a free name such as <c>name (1).ext</c>.</summary>
    public bool Autorename { get; init; }

    /// <summary>The modification time shown for the file; Dropbox keeps whole seconds, UTC.</summary>
    public DateTimeOffset? ClientModified { get; init; }

    /// <summary>Do not notify the user's devices about this change.</summary>
    public bool Mute { get; init; }

    /// <summary>Treat identical content at the path as a conflict too.</summary>
    public bool StrictConflict { get; init; }
}
