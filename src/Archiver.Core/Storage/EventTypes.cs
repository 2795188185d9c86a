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
    public const string NodeDown = "node.down";

    /// <summary>An alert reached a webhook (its receiver answered 2xx).</summary>
    public const string AlertDelivered = "alert.delivered";

    /// <summary>A webhook did not accept an alert; it is sent again after a backoff.</summary>
    public const string AlertFailed = "alert.failed";
}
