namespace Archiver.Hosting;

/// <summary>When a node commits uploads in per-customer batches (<c>archiver.dropbox.batch-commits</c>).</summary>
public enum BatchCommitMode
{
    /// <summary>One call per file (the fewest against the rate limit) until write contention; batches while it lasts.</summary>
    Auto,

    /// <summary>Every file through an upload session and a batch commit.</summary>
    Always,

    /// <summary>One <c>files/upload</c> per file (sessions only for large files).</summary>
    Off,
}
