namespace Archiver.Core.Items;

/// <summary>What Dropbox answered for a stored file.</summary>
/// <param name="DropboxId">Dropbox's stable file id (<c>id:…</c>).</param>
/// <param name="Rev">The revision Dropbox holds.</param>
/// <param name="Path">The path as Dropbox displays it.</param>
/// <param name="ContentHash">Dropbox's content hash, equal to the one computed locally while streaming.</param>
/// <param name="Size">Bytes stored.</param>
public sealed record ArchivedFile(string DropboxId, string Rev, string Path, string ContentHash, long Size);
