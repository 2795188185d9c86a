using Archiver.Core.Alerts;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;

namespace Archiver.Api;

/// <summary>The answer of <c>GET /api/v1/status</c>: the node, every customer's state and progress, its alert webhooks' deliveries and its last retention run.</summary>
/// <param name="Alerts">Each webhook's last success and failure as this node saw them (only the cluster leader delivers).</param>
/// <param name="Retention">The node's last retention run; null when none ran on it (only the cluster's leader runs it).</param>
internal sealed record StatusView(
    NodeView Node, DateTimeOffset At, IReadOnlyList<CustomerStatusView> Customers, IReadOnlyList<WebhookStatus> Alerts, RetentionView? Retention = null);

/// <summary>The node answering.</summary>
internal sealed record NodeView(string NodeId, string? Address, DateTimeOffset StartedAt, string Version);

/// <summary>One customer's state and progress, with this node's live figures.</summary>
/// <param name="Phase">The pipeline's phase on this node (<c>running</c>, <c>waiting-for-lease</c>, …), null when it never ran here.</param>
/// <param name="CurrentRate">The throttle's current ceiling (calls/s), below <paramref name="RateLimit"/> after 429s.</param>
/// <param name="RateLimit">The calls per second in force for the customer: its block in the configuration file, else its stored tuning, else the default.</param>
/// <param name="ItemsPerSecond">Items archived per second lately.</param>
/// <param name="LimitedBy">
/// What holds the customer at its pace, by its wire name (<see cref="LimitedByNames.Wire"/>): <c>rate</c> (at its limit),
/// <c>dropbox</c>, <c>parallelism</c>, <c>node-upload-budget</c>, <c>no-work</c>; null when it does not run on this node.
/// </param>
/// <param name="Load">The figures behind <paramref name="LimitedBy"/> while a pipeline runs here; null otherwise.</param>
internal sealed record CustomerStatusView(
    string Id,
    string Name,
    CustomerState State,
    string? StateReason,
    string? Phase,
    long Backlog,
    long Pending,
    long InFlight,
    long Archived,
    long Failed,
    double? CurrentRate,
    double RateLimit,
    double ItemsPerSecond,
    long RateLimitedLastMinute,
    long BytesArchived,
    string? LastError,
    string? LimitedBy,
    LoadView? Load);

/// <summary>A running customer's recent window (<see cref="PipelineLoad"/>), rounded for reading.</summary>
/// <param name="SlotsNeeded">Upload slots the current rate needs at this upload time (rate × <paramref name="UploadSeconds"/>): above
/// <paramref name="Parallelism"/>, the rate cannot be reached. Null when the upload time is unknown.</param>
internal sealed record LoadView(
    int Parallelism,
    double WindowSeconds,
    double SlotsBusy,
    double SlotsFullShare,
    double? UploadSeconds,
    double? SlotsNeeded,
    double BudgetWaitShare,
    double WaitingForWorkShare)
{
    public static LoadView? Of(PipelineLoad? load, double? currentRate) => load is null ? null : new(
        load.Parallelism,
        Round(load.WindowSeconds),
        Round(load.SlotsBusy),
        Round(load.SlotsFullShare),
        load.UploadSeconds is { } seconds ? Round(seconds) : null,
        currentRate is { } rate && load.SlotsNeededAt(rate) is { } needed ? Round(needed) : null,
        Round(load.BudgetWaitShare),
        Round(load.WaitingForWorkShare));

    private static double Round(double value) => Math.Round(value, 3);
}
