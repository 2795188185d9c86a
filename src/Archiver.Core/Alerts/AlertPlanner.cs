using System.Globalization;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Core.Alerts;

/// <summary>
/// Turns journal entries into alerts. A parked or resumed customer or a node down is one alert per entry. Failed items
/// are batched: the first <c>item.failed</c> entry opens a window of <see cref="AlertSettings.FailedItemsInterval"/>,
/// and every failed item of a customer journaled within it becomes one alert with their count. While that window is open
/// nothing from its first failed item on is sent (so the journal is still delivered in order, and a cursor never passes
/// an entry not yet reported); entries before it are.
/// </summary>
public static class AlertPlanner
{
    private const int ItemIdsShown = 10;

    public static AlertPlan Plan(IReadOnlyList<ArchiveEvent> events, IReadOnlySet<string> subscribed, long cursor, TimeSpan interval, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(subscribed);
        var alerts = new List<Alert>();
        var failures = new Dictionary<CustomerId, FailedBatch>();
        var through = cursor;
        DateTimeOffset? windowEnd = null;
        DateTimeOffset? waitUntil = null;

        foreach (var entry in events)
        {
            var kind = KindOf(entry);
            if (kind == AlertKinds.ItemsFailed && subscribed.Contains(kind) && entry.Customer is { } customer)
            {
                windowEnd ??= entry.At + interval;
                if (entry.At >= windowEnd)
                {
                    break; // opens the next window, in a later pass
                }

                if (now < windowEnd)
                {
                    waitUntil = windowEnd;
                    break;
                }

                if (!failures.TryGetValue(customer, out var batch))
                {
                    failures[customer] = batch = new FailedBatch(customer, entry.Sequence);
                }

                batch.Add(entry);
            }
            else if (kind is not null && kind != AlertKinds.ItemsFailed && subscribed.Contains(kind))
            {
                alerts.Add(new Alert(kind, entry.Customer, entry.Sequence, entry.Sequence, 1, entry.At, entry.Details));
            }

            through = entry.Sequence;
        }

        alerts.AddRange(failures.Values.Select(batch => batch.ToAlert()));
        alerts.Sort((a, b) => a.LastSequence.CompareTo(b.LastSequence));
        return new AlertPlan(alerts, through, waitUntil);
    }

    /// <summary>The alert kind a journal entry is, or null when it is none.</summary>
    public static string? KindOf(ArchiveEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type switch
        {
            EventTypes.ItemFailed => AlertKinds.ItemsFailed,
            EventTypes.NodeDown => AlertKinds.NodeDown,
            EventTypes.CustomerStateChanged => StateChangeKind(entry.Details),
            _ => null,
        };
    }

    /// <summary>The stores journal a state change as <c>old -> new: reason</c>, in their names of the states.</summary>
    private static string? StateChangeKind(string details)
    {
        var arrow = details.IndexOf(" -> ", StringComparison.Ordinal);
        if (arrow < 0)
        {
            return null;
        }

        var from = details[..arrow];
        var colon = details.IndexOf(':', arrow);
        var to = colon < 0 ? details[(arrow + 4)..] : details[(arrow + 4)..colon];
        return (IsParked(from), IsParked(to), to) switch
        {
            (false, true, _) => AlertKinds.CustomerParked,
            (true, false, "active") => AlertKinds.CustomerResumed,
            _ => null,
        };
    }

    private static bool IsParked(string state) => state is "needs_reauth" or "storage_full";

    /// <summary>One customer's failed items within a window.</summary>
    private sealed class FailedBatch(CustomerId customer, long first)
    {
        private readonly List<long> _items = [];
        private int _count;
        private ArchiveEvent? _last;

        public void Add(ArchiveEvent entry)
        {
            _count++;
            _last = entry;
            if (entry.ItemId is { } id && _items.Count < ItemIdsShown)
            {
                _items.Add(id);
            }
        }

        public Alert ToAlert()
        {
            var last = _last!;
            var items = string.Join(", ", _items.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            var more = _count > _items.Count ? ", …" : "";
            return new Alert(
                AlertKinds.ItemsFailed, customer, first, last.Sequence, _count, last.At,
                string.Create(CultureInfo.InvariantCulture, $"{_count} item(s) failed (items {items}{more}); last: {last.Details}"));
        }
    }
}
