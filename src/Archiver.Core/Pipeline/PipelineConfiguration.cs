using Archiver.Core.Customers;

namespace Archiver.Core.Pipeline;

/// <summary>
/// The pipeline settings in force on a node: the defaults and the per-customer overrides from the configuration file.
/// Immutable; a configuration reload that passes validation replaces it as a whole.
/// </summary>
/// <remarks>
/// A customer's settings are resolved value by value: the file's <c>archiver.customers.&lt;id&gt;</c> override first
/// (the operator's live knob), then the tuning stored with the customer (set through the CLI or API), then the
/// file's <c>archiver.pipeline</c> defaults.
/// </remarks>
public sealed class PipelineConfiguration(PipelineOptions defaults, IReadOnlyDictionary<string, CustomerOverride>? customers = null)
{
    private readonly IReadOnlyDictionary<string, CustomerOverride> _customers =
        customers is null ? new Dictionary<string, CustomerOverride>() : new Dictionary<string, CustomerOverride>(customers, StringComparer.Ordinal);

    public PipelineOptions Defaults { get; } = defaults;

    /// <summary>The configuration file's per-customer blocks, by customer id.</summary>
    public IReadOnlyDictionary<string, CustomerOverride> Customers => _customers;

    public PipelineSettings For(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var file = _customers.GetValueOrDefault(customer.Id.Value) ?? new CustomerOverride();
        var stored = customer.Tuning;
        var rate = file.RatePerSecond ?? stored.RatePerSecond ?? Defaults.RatePerSecond;
        var burst = file.Burst ?? stored.Burst ?? Defaults.Burst;
        var parallelism = file.Parallelism ?? stored.Parallelism ?? Defaults.Parallelism;
        var bufferPerWorker = file.BufferPerWorker ?? Defaults.BufferPerWorker;
        return new PipelineSettings(
            ThrottleLimits.For(rate, burst),
            parallelism,
            Capacity: Math.Max(bufferPerWorker * parallelism, parallelism + 1),
            file.PageSize ?? Defaults.PageSize,
            file.CheckpointBatchSize ?? Defaults.CheckpointBatchSize,
            file.PollInterval ?? Defaults.PollInterval,
            Defaults.IdleAfter,
            file.MaxAttempts ?? Defaults.MaxAttempts,
            Defaults.RetryBaseDelay,
            Defaults.RetryMaxDelay,
            Defaults.DrainTimeout,
            file.PathTemplate ?? stored.PathTemplate ?? Defaults.PathTemplate);
    }
}
