using System.ComponentModel.DataAnnotations;
using Archiver.Core.Paths;

namespace Archiver.Core.Pipeline;

/// <summary>Defaults for every customer's pipeline (configuration section <c>archiver:pipeline</c>).</summary>
public sealed class PipelineOptions
{
    public const string Section = "archiver:pipeline";

    /// <summary>Dropbox calls per second per customer. <value>The default value is 10.</value></summary>
    [Range(TuningBounds.MinRatePerSecond, TuningBounds.MaxRatePerSecond)]
    public double RatePerSecond { get; set; } = 10;

    /// <summary>
    /// Calls Dropbox tolerates at once. The throttle saves up half of them (rounded up) after a quiet spell and leaves
    /// the rest to Dropbox as slack for jitter. <value>The default value is 10.</value>
    /// </summary>
    [Range(TuningBounds.MinBurst, TuningBounds.MaxBurst)]
    public int Burst { get; set; } = 10;

    /// <summary>Uploads in flight at once per customer. <value>The default value is 4.</value></summary>
    [Range(TuningBounds.MinParallelism, TuningBounds.MaxParallelism)]
    public int Parallelism { get; set; } = 4;

    /// <summary>Items claimed ahead per upload slot, waiting for a free slot: a stream holds at most parallelism × this many. <value>The default value is 4.</value></summary>
    [Range(1, 1_000)]
    public int BufferPerWorker { get; set; } = 4;

    /// <summary>Items claimed per database round trip at most. <value>The default value is 100.</value></summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Outcomes written per checkpoint transaction at most. <value>The default value is 500.</value></summary>
    [Range(1, 10_000)]
    public int CheckpointBatchSize { get; set; } = 500;

    /// <summary>
    /// How long an idle source sleeps before looking again when nothing wakes it. It is only a fallback: enqueues,
    /// retries of failed items and (on PostgreSQL) other nodes' NOTIFYs wake the source at once, and a retry falling due
    /// ends the sleep on time. <value>The default value is 5 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a customer's pipeline stays up with nothing to do before it is taken down, keeping only a wait for work
    /// (its lease, throttle and counters stay): a node with ten thousand quiet customers holds ten thousand small
    /// waits, not ten thousand materialised streams. The first item due brings the pipeline back at once.
    /// <value>The default value is 30 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Transient failures an item may meet before it is parked as failed. Rate limits do not count. <value>The default value is 10.</value></summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First retry delay after a transient failure; doubles per attempt. <value>The default value is 2 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest retry delay. <value>The default value is 10 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>On stop, how long uploads already under way may take to finish. <value>The default value is 10 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where files land in Dropbox; see <see cref="Paths.PathTemplate"/>.</summary>
    [Required]
    [ValidPathTemplate]
    public string PathTemplate { get; set; } = Paths.PathTemplate.Default;
}
