using Archiver.Customers;

namespace Archiver.Pipeline;

/// <summary>
/// The settings one customer's pipeline runs with: configuration defaults, overridden by the customer's own tuning.
/// Built once per pipeline start, so a running pipeline never sees a half-applied change.
/// </summary>
public sealed record PipelineSettings(
    ThrottleLimits Throttle,
    int Parallelism,
    int Capacity,
    int PageSize,
    int CheckpointBatchSize,
    TimeSpan PollInterval,
    int MaxAttempts,
    TimeSpan RetryBaseDelay,
    TimeSpan RetryMaxDelay,
    TimeSpan DrainTimeout,
    string PathTemplate)
{
    public static PipelineSettings For(Customer customer, PipelineOptions options)
    {
        var tuning = customer.Tuning;
        var rate = tuning.RatePerSecond ?? options.RatePerSecond;
        var burst = tuning.Burst ?? options.Burst;
        var parallelism = tuning.Parallelism ?? options.Parallelism;
        return new PipelineSettings(
            ThrottleLimits.For(rate, burst),
            parallelism,
            Capacity: Math.Max(options.BufferPerWorker * parallelism, parallelism + 1),
            options.PageSize,
            options.CheckpointBatchSize,
            options.PollInterval,
            options.MaxAttempts,
            options.RetryBaseDelay,
            options.RetryMaxDelay,
            options.DrainTimeout,
            tuning.PathTemplate ?? options.PathTemplate);
    }
}
