namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary><c>UploadSessionStartArg</c>.</summary>
internal sealed class UploadSessionStartArg
{
    public bool Close { get; init; }
}

/// <summary><c>UploadSessionCursor</c>.</summary>
internal sealed class UploadSessionCursor
{
    public string? SessionId { get; init; }

    public long? Offset { get; init; }
}

/// <summary><c>UploadSessionAppendArg</c>.</summary>
internal sealed class UploadSessionAppendArg
{
    public UploadSessionCursor? Cursor { get; init; }

    public bool Close { get; init; }
}

/// <summary><c>UploadSessionFinishArg</c>.</summary>
internal sealed class UploadSessionFinishArg
{
    public UploadSessionCursor? Cursor { get; init; }

    public UploadArg? Commit { get; init; }
}

/// <summary><c>UploadSessionFinishBatchArg</c>.</summary>
internal sealed class UploadSessionFinishBatchArg
{
    public List<UploadSessionFinishArg>? Entries { get; init; }
}

/// <summary><c>PollArg</c> of <c>finish_batch/check</c>.</summary>
internal sealed class PollArg
{
    public string? AsyncJobId { get; init; }
}
