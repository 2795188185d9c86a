namespace Archiver.Dropbox.Json;

/// <summary>Argument of <c>files/get_metadata</c>.</summary>
internal sealed record GetMetadataArg(string Path);

/// <summary>Argument of <c>files/list_folder</c>; the root folder is the empty path.</summary>
internal sealed record ListFolderArg(string Path, bool Recursive, int? Limit);

/// <summary>Argument of <c>files/list_folder/continue</c>.</summary>
internal sealed record ListFolderContinueArg(string Cursor);
