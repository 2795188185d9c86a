namespace Archiver.Dropbox.Batching;

/// <summary>How <see cref="DropboxUploadTarget"/> commits uploads: one by one, or in per-customer batches.</summary>
public sealed class BatchCommitOptions
{
    /// <summary>The most entries Dropbox accepts in one batch commit.</summary>
    public const int MaxBatchEntries = DropboxClient.MaxBatchEntries;

    /// <summary>The longest <see cref="MaxWait"/> accepted.</summary>
    public static readonly TimeSpan MaxMaxWait = TimeSpan.FromMinutes(1);

    public static BatchCommitOptions Default { get; } = new();

    /// <summary>Upload into closed sessions and commit them in batches (<c>finish_batch_v2</c>); otherwise one call per file.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// When true, a customer's files are committed one by one (one <c>files/upload</c> each: the fewest calls against
    /// its rate limit) until Dropbox reports write contention for that customer; from then on, until
    /// <see cref="ContentionWindow"/> passes without contention, they go through batch commits. When false, batches
    /// always (when <see cref="Enabled"/>).
    /// </summary>
    public bool OnlyUnderContention { get; init; }

    /// <summary>How long after the last write contention a customer keeps batching (with <see cref="OnlyUnderContention"/>).</summary>
    public TimeSpan ContentionWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Entries per batch commit, 1 to 1,000.</summary>
    public int MaxEntries { get; init; } = MaxBatchEntries;

    /// <summary>How long a lone entry waits for company before it is committed; zero commits it at once.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.Zero;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public BatchCommitOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEntries, 1, nameof(MaxEntries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxEntries, MaxBatchEntries, nameof(MaxEntries));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWait, TimeSpan.Zero, nameof(MaxWait));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxWait, MaxMaxWait, nameof(MaxWait));
        ArgumentOutOfRangeException.ThrowIfLessThan(ContentionWindow, TimeSpan.Zero, nameof(ContentionWindow));
        return this;
    }
}
