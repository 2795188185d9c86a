using System.Collections.Concurrent;

namespace Archiver.Core.Alerts;

/// <summary>The last success and failure of each webhook on this node, updated by the <see cref="AlertDispatcher"/>.</summary>
public sealed class AlertDeliveryStatus
{
    private readonly ConcurrentDictionary<string, WebhookStatus> _webhooks = new(StringComparer.Ordinal);

    public IReadOnlyList<WebhookStatus> Snapshot() => [.. _webhooks.Values.OrderBy(w => w.Webhook, StringComparer.Ordinal)];

    public void Known(string webhook, long? cursor) =>
        _webhooks.AddOrUpdate(webhook, w => new WebhookStatus(w, null, null, null, 0, cursor), (_, s) => s with { Cursor = cursor ?? s.Cursor });

    public void Succeeded(string webhook, DateTimeOffset at, long cursor) =>
        _webhooks.AddOrUpdate(
            webhook, w => new WebhookStatus(w, at, null, null, 0, cursor), (_, s) => s with { LastSuccessAt = at, FailuresInARow = 0, Cursor = cursor });

    public void Failed(string webhook, DateTimeOffset at, string reason) =>
        _webhooks.AddOrUpdate(
            webhook,
            w => new WebhookStatus(w, null, at, reason, 1, null),
            (_, s) => s with { LastFailureAt = at, LastFailure = reason, FailuresInARow = s.FailuresInARow + 1 });
}
