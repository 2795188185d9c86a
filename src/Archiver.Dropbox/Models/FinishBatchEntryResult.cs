using Archiver.Dropbox.Errors;

namespace Archiver.Dropbox.Models;

/// <summary>
/// How one entry of a batch commit ended: <see cref="File"/> when it was committed, otherwise <see cref="Failure"/>,
/// the same exception a single <c>upload_session/finish</c> of that entry would have thrown.
/// </summary>
public sealed record FinishBatchEntryResult(FileMetadata? File, DropboxRouteException? Failure)
{
    public bool Succeeded => File is not null;
}
