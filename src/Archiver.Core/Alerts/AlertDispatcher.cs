using System.Globalization;
using Archiver.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Alerts;

/// <summary>
/// Delivers alerts from the journal, which is their outbox: for each webhook on its own loop, it reads the entries after
/// the webhook's durable cursor, plans the alerts they make (<see cref="AlertPlanner"/>), POSTs them in order and moves
/// the cursor only past what a receiver accepted with a 2xx. A refused or unanswered alert is sent again, with
/// exponential backoff, until accepted: at least once, nothing lost across a receiver's outage or a restart (an alert
/// whose 2xx arrived but whose cursor write did not is sent again; its <see cref="Alert.Id"/> stays the same).
/// It shares nothing with archiving but the store. Only the node <paramref name="isDeliverer"/> says yes on delivers.
/// </summary>
public sealed class AlertDispatcher(
    IReadOnlyList<AlertWebhook> webhooks,
    AlertSettings settings,
    IAlertCursorStore cursors,
    IEventJournal journal,
    WebhookSender sender,
    AlertDeliveryStatus status,
    Func<bool> isDeliverer,
    string node,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Runs every webhook's loop until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(webhooks.Select(webhook => Task.Run(() => RunWebhookAsync(webhook, cancellationToken), CancellationToken.None)));

    private async Task RunWebhookAsync(AlertWebhook webhook, CancellationToken cancellationToken)
    {
        var failures = new FailureCount();
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await PassAsync(webhook, failures, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                wait = Backoff.After(++failures.InARow, settings.RetryBaseDelay, settings.RetryMaxDelay);
                Log.AlertDispatchCrashed(logger, ex, webhook.Name, wait);
            }

            try
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over what the journal has after the cursor; returns how long to wait before the next.</summary>
    private async Task<TimeSpan> PassAsync(AlertWebhook webhook, FailureCount failures, CancellationToken cancellationToken)
    {
        if (!isDeliverer())
        {
            return settings.PollInterval;
        }

        var cursor = await cursors.GetAlertCursorAsync(webhook.Name, cancellationToken).ConfigureAwait(false)
            ?? await StartAsync(webhook, cancellationToken).ConfigureAwait(false);
        status.Known(webhook.Name, cursor);
        var events = await journal.ReadEventsAsync(new EventQuery(cursor, settings.PageSize), cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return settings.PollInterval;
        }

        var now = time.GetUtcNow();
        var plan = AlertPlanner.Plan(events, webhook.Events, cursor, settings.FailedItemsInterval, now);
        var delivered = cursor;
        for (var i = 0; i < plan.Alerts.Count; i++)
        {
            var alert = plan.Alerts[i];
            var outcome = await sender.SendAsync(webhook, AlertBody.Of(alert, node), cancellationToken).ConfigureAwait(false);
            if (!outcome.Delivered)
            {
                failures.InARow++;
                var delay = Backoff.After(failures.InARow, settings.RetryBaseDelay, settings.RetryMaxDelay);
                Log.AlertDeliveryFailed(logger, alert.Kind, alert.Id, webhook.Name, outcome.Detail, failures.InARow, delay);
                status.Failed(webhook.Name, time.GetUtcNow(), outcome.Detail);
                await JournalAsync(
                        EventTypes.AlertFailed, alert,
                        string.Create(CultureInfo.InvariantCulture,
                            $"{alert.Kind} {alert.Id} to {webhook.Name}: {outcome.Detail}; failure #{failures.InARow}, sent again in {delay.TotalSeconds:0.#} s"),
                        cancellationToken)
                    .ConfigureAwait(false);
                return delay;
            }

            failures.InARow = 0;
            Log.AlertDelivered(logger, alert.Kind, alert.Id, webhook.Name);
            // Past every entry the alerts still to send do not report: a batch of failed items may start before this alert.
            var safe = i + 1 < plan.Alerts.Count ? plan.Alerts.Skip(i + 1).Min(a => a.FirstSequence) - 1 : plan.Through;
            delivered = await AdvanceAsync(webhook, delivered, safe, cancellationToken).ConfigureAwait(false);
            status.Succeeded(webhook.Name, time.GetUtcNow(), delivered);
            await JournalAsync(EventTypes.AlertDelivered, alert, $"{alert.Kind} {alert.Id} to {webhook.Name}: {outcome.Detail}", cancellationToken)
                .ConfigureAwait(false);
        }

        delivered = await AdvanceAsync(webhook, delivered, plan.Through, cancellationToken).ConfigureAwait(false);
        status.Known(webhook.Name, delivered);
        if (plan.WaitUntil is { } windowEnd)
        {
            var untilWindowEnds = windowEnd - time.GetUtcNow();
            return untilWindowEnds <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(untilWindowEnds.Ticks, settings.PollInterval.Ticks));
        }

        return events.Count >= settings.PageSize ? TimeSpan.Zero : settings.PollInterval; // a full page: read on at once
    }

    /// <summary>A webhook seen for the first time starts at the journal's end: it is not sent the node's history.</summary>
    private async Task<long> StartAsync(AlertWebhook webhook, CancellationToken cancellationToken)
    {
        var last = await cursors.GetLastEventSequenceAsync(cancellationToken).ConfigureAwait(false);
        await cursors.SaveAlertCursorAsync(webhook.Name, last, cancellationToken).ConfigureAwait(false);
        Log.AlertWebhookStarted(logger, webhook.Name, last);
        return last;
    }

    private async Task<long> AdvanceAsync(AlertWebhook webhook, long delivered, long to, CancellationToken cancellationToken)
    {
        if (to <= delivered)
        {
            return delivered;
        }

        await cursors.SaveAlertCursorAsync(webhook.Name, to, cancellationToken).ConfigureAwait(false);
        return to;
    }

    /// <summary>Journals a delivery for <c>archiver events tail</c>; a journal that fails costs the record, never the delivery.</summary>
    private async Task JournalAsync(string type, Alert alert, string details, CancellationToken cancellationToken)
    {
        try
        {
            await journal.AppendEventsAsync([new NewEvent(type, alert.Customer, details)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.AlertJournalFailed(logger, ex, type, details);
        }
    }

    private sealed class FailureCount
    {
        public int InARow { get; set; }
    }
}
