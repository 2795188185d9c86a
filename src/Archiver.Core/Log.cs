using Archiver.Core.Customers;
using Microsoft.Extensions.Logging;

namespace Archiver.Core;

/// <summary>Every log line of the Core assembly. Event ids: 1000s pipeline, 1100s supervision, 1200s node, 1300s control state, 1400s alerts.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Customer {Customer} rate limited by Dropbox: pausing {RetryAfter}, rate now {Rate:0.##}/s")]
    public static partial void RateLimited(ILogger logger, CustomerId customer, TimeSpan retryAfter, double rate);

    [LoggerMessage(1002, LogLevel.Warning, "Customer {Customer} item {ItemId} failed permanently: {Reason}")]
    public static partial void ItemFailed(ILogger logger, CustomerId customer, long itemId, string reason);

    [LoggerMessage(1003, LogLevel.Error, "Customer {Customer} item {ItemId} hit an unexpected error")]
    public static partial void ItemCrashed(ILogger logger, Exception exception, CustomerId customer, long itemId);

    [LoggerMessage(1101, LogLevel.Information, "Customer {Customer} pipeline started (fencing token {FencingToken}, parallelism {Parallelism}, rate {Rate}/s)")]
    public static partial void PipelineStarted(ILogger logger, CustomerId customer, long fencingToken, int parallelism, double rate);

    [LoggerMessage(1102, LogLevel.Error, "Customer {Customer} pipeline crashed; restart #{Restart} in {Delay}")]
    public static partial void PipelineCrashed(ILogger logger, Exception exception, CustomerId customer, int restart, TimeSpan delay);

    [LoggerMessage(1103, LogLevel.Warning, "Customer {Customer} parked as {State}: {Reason}")]
    public static partial void CustomerParked(ILogger logger, CustomerId customer, CustomerState state, string reason);

    [LoggerMessage(1104, LogLevel.Warning, "Customer {Customer} lease lost: {Reason}")]
    public static partial void LeaseLost(ILogger logger, CustomerId customer, string reason);

    [LoggerMessage(1105, LogLevel.Information, "Customer {Customer} pipeline stopped")]
    public static partial void PipelineStopped(ILogger logger, CustomerId customer);

    [LoggerMessage(1106, LogLevel.Warning, "Customer {Customer} could not hand back its claims and lease; they expire on their own")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, CustomerId customer);

    [LoggerMessage(1107, LogLevel.Warning, "Customer {Customer} could not journal a {EventType} event")]
    public static partial void JournalFailed(ILogger logger, Exception exception, CustomerId customer, string eventType);

    [LoggerMessage(1108, LogLevel.Warning, "{Count} lease(s) could not be renewed")]
    public static partial void LeaseRenewalFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(1109, LogLevel.Information, "Customer {Customer} throttle now {Rate}/s, burst {Burst}")]
    public static partial void ThrottleReconfigured(ILogger logger, CustomerId customer, double rate, int burst);

    [LoggerMessage(1110, LogLevel.Information, "Customer {Customer} settings changed; restarting its pipeline gracefully")]
    public static partial void PipelineReconfiguring(ILogger logger, CustomerId customer);

    [LoggerMessage(1201, LogLevel.Information, "Node {NodeId} started")]
    public static partial void NodeStarted(ILogger logger, string nodeId);

    [LoggerMessage(1202, LogLevel.Error, "Node {NodeId} could not refresh its customers")]
    public static partial void NodeRefreshFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(1203, LogLevel.Information, "Node {NodeId} stopped")]
    public static partial void NodeStopped(ILogger logger, string nodeId);

    [LoggerMessage(1205, LogLevel.Information, "Node {NodeId} sees {Live} live node(s): {Nodes}")]
    public static partial void MembershipChanged(ILogger logger, string nodeId, int live, string nodes);

    [LoggerMessage(1206, LogLevel.Information, "Node {NodeId} applied a new pipeline configuration")]
    public static partial void ConfigurationApplied(ILogger logger, string nodeId);

    [LoggerMessage(1207, LogLevel.Information, "Node {NodeId} joins the cluster through {Seeds}")]
    public static partial void ClusterJoining(ILogger logger, string nodeId, string seeds);

    [LoggerMessage(1208, LogLevel.Information, "Node {NodeId} is up in the cluster as {Address}")]
    public static partial void ClusterJoined(ILogger logger, string nodeId, string address);

    [LoggerMessage(1209, LogLevel.Error, "Node {NodeId} could not record its cluster address or read the others'")]
    public static partial void ClusterJoinFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(1210, LogLevel.Information, "Retention removed {ArchivedItems} archived item(s), {Events} event(s) and {FailureEvents} failure event(s) in {Duration}")]
    public static partial void RetentionRan(ILogger logger, long archivedItems, long events, long failureEvents, TimeSpan duration);

    [LoggerMessage(1211, LogLevel.Error, "Retention stopped early; the next run carries on")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(1212, LogLevel.Warning, "Retention could not journal what it removed")]
    public static partial void RetentionJournalFailed(ILogger logger, Exception exception);

    [LoggerMessage(1213, LogLevel.Warning, "Node {NodeId} saw {Node} downed and could not journal it")]
    public static partial void NodeDownJournalFailed(ILogger logger, Exception exception, string nodeId, string node);

    [LoggerMessage(1301, LogLevel.Information, "Customer {Customer} is now {State}: {Reason} (journaled)")]
    public static partial void LifecycleRecorded(ILogger logger, CustomerId customer, CustomerState state, string reason);

    [LoggerMessage(1302, LogLevel.Information, "Customer {Customer} learned limit {Rate:0.##}/s (ceiling {Ceiling:0.##}/s) journaled")]
    public static partial void RateRecorded(ILogger logger, CustomerId customer, double rate, double ceiling);

    [LoggerMessage(1303, LogLevel.Warning, "Customer {Customer} is {Stored} in the store but {Journaled} in its journal: the store is corrected")]
    public static partial void ControlRepairedStore(ILogger logger, CustomerId customer, CustomerState stored, CustomerState journaled);

    [LoggerMessage(1304, LogLevel.Error, "Customer {Customer}: writing its journaled state to the store failed")]
    public static partial void ControlStoreWriteFailed(ILogger logger, Exception exception, CustomerId customer);

    [LoggerMessage(1306, LogLevel.Error, "Customer {Customer}: reading its record from the store failed")]
    public static partial void CustomerLoadFailed(ILogger logger, Exception exception, CustomerId customer);

    [LoggerMessage(1307, LogLevel.Warning, "Customer {Customer} is not in the store: its actor is passivated")]
    public static partial void CustomerUnknown(ILogger logger, CustomerId customer);

    [LoggerMessage(1305, LogLevel.Warning, "Customer {Customer}: a snapshot of its control state or the deletion of older ones failed")]
    public static partial void ControlSnapshotFailed(ILogger logger, Exception exception, CustomerId customer);

    [LoggerMessage(1401, LogLevel.Information, "Alert {Kind} {AlertId} delivered to {Webhook}")]
    public static partial void AlertDelivered(ILogger logger, string kind, string alertId, string webhook);

    [LoggerMessage(1402, LogLevel.Warning, "Alert {Kind} {AlertId} not accepted by {Webhook} ({Detail}); failure #{Failures} in a row, sent again in {Delay}")]
    public static partial void AlertDeliveryFailed(ILogger logger, string kind, string alertId, string webhook, string detail, int failures, TimeSpan delay);

    [LoggerMessage(1403, LogLevel.Error, "Alert delivery to {Webhook} hit an unexpected error; trying again in {Delay}")]
    public static partial void AlertDispatchCrashed(ILogger logger, Exception exception, string webhook, TimeSpan delay);

    [LoggerMessage(1404, LogLevel.Information, "Alerts to {Webhook} start after journal entry {Sequence}")]
    public static partial void AlertWebhookStarted(ILogger logger, string webhook, long sequence);

    [LoggerMessage(1405, LogLevel.Warning, "Could not journal a {EventType} event: {Details}")]
    public static partial void AlertJournalFailed(ILogger logger, Exception exception, string eventType, string details);
}
