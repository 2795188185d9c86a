using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Archiver.Customers;

namespace Archiver.Diagnostics;

/// <summary>
/// The <c>Archiver</c> meter: what the node reports to a metrics backend (OTLP when configured). Every instrument is
/// tagged with the customer id under <see cref="CustomerTag"/>.
/// </summary>
public static class ArchiverMetrics
{
    public const string MeterName = "Archiver";
    public const string CustomerTag = "customer";

    private static readonly ConcurrentDictionary<CustomerId, long> Backlogs = new();

    public static Meter Meter { get; } = new(MeterName, typeof(ArchiverMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Items archived into Dropbox.</summary>
    public static Counter<long> ItemsArchived { get; } =
        Meter.CreateCounter<long>("archiver.items.archived", "{item}", "Items archived into Dropbox");

    /// <summary>Bytes of content archived into Dropbox.</summary>
    public static Counter<long> BytesArchived { get; } =
        Meter.CreateCounter<long>("archiver.bytes.archived", "By", "Bytes of content archived into Dropbox");

    /// <summary>429 (too many requests) answers met.</summary>
    public static Counter<long> RateLimited { get; } =
        Meter.CreateCounter<long>("archiver.rate_limited", "{response}", "429 answers from Dropbox");

    /// <summary>How long one upload took, from the first byte sent to Dropbox's answer.</summary>
    public static Histogram<double> UploadLatency { get; } =
        Meter.CreateHistogram<double>("archiver.upload.duration", "s", "Time one upload to Dropbox took");

    /// <summary>Items not yet in a final state (pending or in flight), as last sampled from the store.</summary>
    public static ObservableGauge<long> Backlog { get; } =
        Meter.CreateObservableGauge("archiver.backlog", ObserveBacklog, "{item}", "Items pending or in flight");

    /// <summary>Records a customer's backlog for <see cref="Backlog"/> to report.</summary>
    public static void SetBacklog(CustomerId customer, long backlog) => Backlogs[customer] = backlog;

    /// <summary>Forgets a customer's backlog (e.g. it no longer exists).</summary>
    public static void ClearBacklog(CustomerId customer) => Backlogs.TryRemove(customer, out _);

    internal static TagList Tags(CustomerId customer) => new() { { CustomerTag, customer.Value } };

    private static IEnumerable<Measurement<long>> ObserveBacklog() =>
        Backlogs.Select(entry => new Measurement<long>(entry.Value, Tags(entry.Key)));
}
