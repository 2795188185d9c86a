using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Json;

/// <summary>The <c>Dropbox-API-Arg</c> of <c>files/upload</c>: a <see cref="CommitInfo"/> plus the body's hash when known.</summary>
internal sealed record UploadArg(
    string Path,
    WriteMode Mode,
    bool Autorename,
    DateTimeOffset? ClientModified,
    bool Mute,
    bool StrictConflict,
    string? ContentHash)
{
    public static UploadArg From(CommitInfo commit, string? contentHash) =>
        new(commit.Path, commit.Mode, commit.Autorename, commit.ClientModified, commit.Mute, commit.StrictConflict, contentHash);
}
