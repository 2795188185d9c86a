using System.Diagnostics;
using System.Diagnostics.Metrics;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Core.Diagnostics;

/// <summary>
/// The <c>Archiver</c> meter: what the node reports to a metrics backend (OTLP when configured). Every instrument is
/// tagged with the customer id under <see cref="CustomerTag"/>. One per host, created through the host's
/// <see cref="IMeterFactory"/>, which owns the meter and disposes it with the host.
/// </summary>
public sealed class ArchiverMetrics
{
    public const string MeterName = "Archiver";
    public const string CustomerTag = "customer";

    private volatile IReadOnlyList<CustomerProgress> _backlogs = [];

    public ArchiverMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName, typeof(ArchiverMetrics).Assembly.GetName().Version?.ToString());
        ItemsArchived = meter.CreateCounter<long>("archiver.items.archived", "{item}", "Items archived into Dropbox");
        BytesArchived = meter.CreateCounter<long>("archiver.bytes.archived", "By", "Bytes of content archived into Dropbox");
        RateLimited = meter.CreateCounter<long>("archiver.rate_limited", "{response}", "429 answers from Dropbox");
        UploadLatency = meter.CreateHistogram<double>("archiver.upload.duration", "s", "Time one upload to Dropbox took");
        meter.CreateObservableGauge("archiver.backlog", ObserveBacklog, "{item}", "Items pending or in flight");
    }

    /// <summary>Items archived into Dropbox.</summary>
    public Counter<long> ItemsArchived { get; }

    /// <summary>Bytes of content archived into Dropbox.</summary>
    public Counter<long> BytesArchived { get; }

    /// <summary>429 (too many requests) answers met.</summary>
    public Counter<long> RateLimited { get; }

    /// <summary>How long one upload took, from the first byte sent to Dropbox's answer.</summary>
    public Histogram<double> UploadLatency { get; }

    /// <summary>
    /// The backlog of every customer, as just read from the store, for the <c>archiver.backlog</c> gauge (items pending
    /// or in flight). It replaces the last sample whole: a customer no longer in the store is no longer reported.
    /// </summary>
    public void SampleBacklogs(IReadOnlyList<CustomerProgress> progress) => _backlogs = progress;

    internal static TagList Tags(CustomerId customer) => new() { { CustomerTag, customer.Value } };

    private IEnumerable<Measurement<long>> ObserveBacklog() =>
        _backlogs.Select(progress => new Measurement<long>(progress.Backlog, Tags(progress.Customer)));
}
