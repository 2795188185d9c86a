namespace Archiver.Dropbox.Errors;

/// <summary>Why Dropbox refused to find or extend an upload session (<c>UploadSessionLookupError</c>).</summary>
public enum UploadSessionErrorKind
{
    /// <summary>The session does not exist, has expired or was already finished.</summary>
    NotFound,

    /// <summary>The offset sent is not the number of bytes the session holds; see the correct offset.</summary>
    IncorrectOffset,

    /// <summary>The session was closed; nothing more may be appended.</summary>
    Closed,

    /// <summary>The session must be closed before this call.</summary>
    NotClosed,

    /// <summary>The session would grow beyond the largest file Dropbox accepts.</summary>
    TooLarge,

    Other,
}
