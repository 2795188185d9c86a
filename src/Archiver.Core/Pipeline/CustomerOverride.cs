using System.ComponentModel.DataAnnotations;
using Archiver.Core.Paths;

namespace Archiver.Core.Pipeline;

/// <summary>
/// One customer's settings from the configuration file (<c>archiver.customers.&lt;id&gt; { … }</c>). A null value
/// falls back to the customer's stored tuning, then to <see cref="PipelineOptions"/>.
/// </summary>
public sealed class CustomerOverride
{
    /// <summary>The section holding one <see cref="CustomerOverride"/> per customer id.</summary>
    public const string Section = "archiver:customers";

    [Range(TuningBounds.MinRatePerSecond, TuningBounds.MaxRatePerSecond)]
    public double? RatePerSecond { get; set; }

    [Range(TuningBounds.MinBurst, TuningBounds.MaxBurst)]
    public int? Burst { get; set; }

    [Range(TuningBounds.MinParallelism, TuningBounds.MaxParallelism)]
    public int? Parallelism { get; set; }

    [Range(1, 1_000)]
    public int? BufferPerWorker { get; set; }

    [Range(1, 10_000)]
    public int? PageSize { get; set; }

    [Range(1, 10_000)]
    public int? CheckpointBatchSize { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan? PollInterval { get; set; }

    [Range(1, 1_000)]
    public int? MaxAttempts { get; set; }

    [ValidPathTemplate]
    public string? PathTemplate { get; set; }
}
