namespace Archiver.Core.Storage;

/// <summary>The kinds of journal entry.</summary>
public static class EventTypes
{
    public const string CustomerAdded = "customer.added";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerStateChanged = "customer.state_changed";
    public const string PipelineStarted = "pipeline.started";
    public const string PipelineRestarted = "pipeline.restarted";
    public const string PipelineStopped = "pipeline.stopped";
    public const string RateLimited = "customer.rate_limited";
    public const string ItemFailed = "item.failed";
    public const string LeaseAcquired = "lease.acquired";
    public const string LeaseLost = "lease.lost";
    public const string RetentionPruned = "retention.pruned";

    /// <summary>
    /// The entries that record something going wrong, kept longer than the rest (<c>archiver.retention.failure-events</c>):
    /// an item failing for good, a customer's state changing (parked for a new authorization or a full Dropbox, paused,
    /// resumed), a pipeline crashing and restarting, a lease lost. A 429 (<see cref="RateLimited"/>) is not among them:
    /// it is Dropbox pacing a customer, the throttle's everyday input, and at volume the most frequent entry of all.
    /// The stores' migration 9 builds its journal indexes on this list: a change to it wants a migration.
    /// </summary>
    public static IReadOnlyList<string> Failures { get; } = [ItemFailed, CustomerStateChanged, PipelineRestarted, LeaseLost];

    public const string NodeDown = "node.down";

    /// <summary>An alert reached a webhook (its receiver answered 2xx).</summary>
    public const string AlertDelivered = "alert.delivered";

    /// <summary>A webhook did not accept an alert; it is sent again after a backoff.</summary>
    public const string AlertFailed = "alert.failed";
}
