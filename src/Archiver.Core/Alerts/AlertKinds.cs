namespace Archiver.Core.Alerts;

/// <summary>What an alert is about: the names a webhook subscribes to (<c>archiver.alerts.webhooks[].events</c>).</summary>
public static class AlertKinds
{
    /// <summary>Dropbox refused the customer's token or its Dropbox is full: the customer is parked until a person acts.</summary>
    public const string CustomerParked = "customer.parked";

    /// <summary>Items of a customer failed for good, counted per customer over <c>archiver.alerts.failed-items-interval</c>.</summary>
    public const string ItemsFailed = "items.failed";

    /// <summary>A parked customer is active again.</summary>
    public const string CustomerResumed = "customer.resumed";

    /// <summary>A node left the cluster without saying goodbye.</summary>
    public const string NodeDown = "node.down";

    /// <summary>Sent by <c>archiver alerts test</c> only; no webhook needs to subscribe to it.</summary>
    public const string Test = "test";

    /// <summary>Every kind a webhook may subscribe to.</summary>
    public static IReadOnlyList<string> All { get; } = [CustomerParked, ItemsFailed, CustomerResumed, NodeDown];
}
