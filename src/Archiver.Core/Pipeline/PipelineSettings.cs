using Archiver.Core.Customers;

namespace Archiver.Core.Pipeline;

/// <summary>
/// The settings one customer's pipeline runs with, resolved by <see cref="PipelineConfiguration.For"/>.
/// A running pipeline never sees a half-applied change: a new throttle limit is applied to its throttle, anything else
/// restarts the pipeline gracefully with the new settings.
/// </summary>
public sealed record PipelineSettings(
    ThrottleLimits Throttle,
    int Parallelism,
    int Capacity,
    int PageSize,
    int CheckpointBatchSize,
    TimeSpan PollInterval,
    TimeSpan IdleAfter,
    int MaxAttempts,
    TimeSpan RetryBaseDelay,
    TimeSpan RetryMaxDelay,
    TimeSpan DrainTimeout,
    string PathTemplate);
