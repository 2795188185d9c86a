namespace Archiver.Dropbox.Json;

/// <summary><c>UploadSessionStartArg</c>.</summary>
internal sealed record UploadSessionStartArg(bool Close);

/// <summary><c>UploadSessionStartResult</c>.</summary>
internal sealed record UploadSessionStartResult(string SessionId);

/// <summary><c>UploadSessionCursor</c>: the session and how many bytes it holds before this call.</summary>
internal sealed record UploadSessionCursor(string SessionId, long Offset);

/// <summary><c>UploadSessionAppendArg</c>.</summary>
internal sealed record UploadSessionAppendArg(UploadSessionCursor Cursor, bool Close);

/// <summary><c>UploadSessionFinishArg</c>; the commit is an <see cref="UploadArg"/> without a content hash.</summary>
internal sealed record UploadSessionFinishArg(UploadSessionCursor Cursor, UploadArg Commit);
