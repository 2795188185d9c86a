using System.Text.Json.Serialization;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary><c>UploadArg</c>: <c>CommitInfo</c> plus an optional <c>content_hash</c> of the body.</summary>
internal sealed class UploadArg
{
    public string? Path { get; init; }

    /// <summary>
    /// Null when the argument leaves it out, which Dropbox reads as <c>add</c>. An initializer cannot be the default:
    /// the source-generated reader sets every init-only property, an absent one to null (dotnet/runtime#84484).
    /// </summary>
    [JsonConverter(typeof(WriteModeConverter))]
    public WriteMode? Mode { get; init; }

    public bool Autorename { get; init; }

    public string? ClientModified { get; init; }

    public bool Mute { get; init; }

    public bool StrictConflict { get; init; }

    public string? ContentHash { get; init; }
}

/// <summary><c>GetMetadataArg</c>; the <c>include_*</c> flags are accepted and ignored.</summary>
internal sealed class GetMetadataArg
{
    public string? Path { get; init; }
}

/// <summary><c>ListFolderArg</c>; the root folder is <c>""</c>.</summary>
internal sealed class ListFolderArg
{
    public string? Path { get; init; }

    public bool Recursive { get; init; }

    public int? Limit { get; init; }
}

/// <summary><c>ListFolderContinueArg</c>.</summary>
internal sealed class ListFolderContinueArg
{
    public string? Cursor { get; init; }
}
