namespace Archiver.Dropbox.Models;

/// <summary>One page of a folder listing; pass <paramref name="Cursor"/> on while <paramref name="HasMore"/>.</summary>
public sealed record ListFolderResult(IReadOnlyList<Metadata> Entries, string Cursor, bool HasMore);
