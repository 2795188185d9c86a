using Archiver.Core.Alerts;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Core.Storage;
using Microsoft.Extensions.Options;

namespace Archiver.Api;

/// <summary>
/// <c>GET /api/v1/status</c>: per customer state and reason, backlog, archived, failed, rate against its limit, recent
/// 429s, and what holds it at its pace (<see cref="LimitedByRule"/>) with the figures behind that; the node's webhooks'
/// deliveries; and the node's last retention run, with the interval its runs start at.
/// </summary>
internal static class StatusEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/status", GetAsync);

    internal static async Task<IResult> GetAsync(
        IArchiveStore store,
        ArchiverNode node,
        NodeInfo info,
        AlertDeliveryStatus alerts,
        IOptions<RetentionOptions> retention,
        TimeProvider time,
        CancellationToken ct)
    {
        var customers = await store.ListCustomersAsync(ct);
        var progress = (await store.GetProgressAsync(null, ct)).ToDictionary(p => p.Customer);
        var activity = node.Activity().ToDictionary(a => a.Customer);
        var configuration = node.Configuration; // the last good one: a refused edit never reaches it
        var rows = customers.Select(c =>
        {
            var p = progress.GetValueOrDefault(c.Id) ?? new CustomerProgress(c.Id, 0, 0, 0, 0);
            var a = activity.GetValueOrDefault(c.Id);
            return new CustomerStatusView(
                c.Id.Value, c.Name, c.State, c.StateReason, a?.Phase,
                p.Backlog, p.Pending, p.InFlight, p.Archived, p.Failed,
                a?.CurrentRate, configuration.For(c).Throttle.RatePerSecond,
                a?.ArchivedPerSecond ?? 0, a?.RateLimitedLastMinute ?? 0, a?.Bytes ?? 0, a?.LastError,
                a?.LimitedBy?.Wire(), LoadView.Of(a?.Load, a?.CurrentRate));
        }).ToArray();
        var version = typeof(StatusEndpoints).Assembly.GetName().Version?.ToString() ?? "0";
        return Results.Ok(new StatusView(
            new NodeView(node.NodeId, info.Address?.ToString(), info.StartedAt, version),
            time.GetUtcNow(),
            rows,
            alerts.Snapshot(),
            RetentionView.Of(node.LastRetentionRun, retention.Value.Interval))); // the node's retention actor was started with this same value
    }
}
