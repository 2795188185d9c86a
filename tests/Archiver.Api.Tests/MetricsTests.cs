using System.Diagnostics.Metrics;
using Archiver.Core.Customers;
using Archiver.Core.Diagnostics;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

public sealed class MetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Activity_RecordsArchivedItemsBytes429sAndLatencyTaggedByCustomer()
    {
        var customer = new CustomerId("metrics");
        var seen = new List<(string Instrument, double Value)>();
        using var listener = Listen(customer, seen);
        var activity = new CustomerActivity(customer, metrics: new ArchiverMetrics(MeterFactory));

        activity.Archived(1000, TimeSpan.FromMilliseconds(250));
        activity.Archived(500);
        activity.RateLimited();

        Assert.Equal(2, seen.Where(s => s.Instrument == "archiver.items.archived").Sum(s => s.Value));
        Assert.Equal(1500, seen.Where(s => s.Instrument == "archiver.bytes.archived").Sum(s => s.Value));
        Assert.Equal(1, seen.Where(s => s.Instrument == "archiver.rate_limited").Sum(s => s.Value));
        Assert.Equal(0.25, seen.Single(s => s.Instrument == "archiver.upload.duration").Value, 3);
    }

    [Fact]
    public void BacklogGauge_ReportsTheLastSampledBacklogPerCustomer_AndNoLongerOneMissingFromTheSample()
    {
        var customer = new CustomerId("backlog");
        var seen = new List<(string Instrument, double Value)>();
        using var listener = Listen(customer, seen);
        var metrics = new ArchiverMetrics(MeterFactory);

        metrics.SampleBacklogs([new CustomerProgress(customer, Pending: 40, InFlight: 2, Archived: 5, Failed: 1)]);
        listener.RecordObservableInstruments();
        metrics.SampleBacklogs([new CustomerProgress(new CustomerId("other"), Pending: 1, InFlight: 0, Archived: 0, Failed: 0)]);
        listener.RecordObservableInstruments();

        Assert.Equal(42, seen.Single(s => s.Instrument == "archiver.backlog").Value);
    }

    [Fact]
    public void Snapshot_Counts429sOfTheLastMinuteOnlyAndRecentThroughput()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var activity = new CustomerActivity(new CustomerId("window"), time);

        activity.RateLimited();
        time.Advance(TimeSpan.FromSeconds(30));
        activity.RateLimited();
        for (var i = 0; i < 10; i++)
        {
            activity.Archived(1);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var recent = activity.Snapshot();
        time.Advance(TimeSpan.FromSeconds(40));
        var later = activity.Snapshot();

        Assert.Equal(2, recent.RateLimitedLastMinute);
        Assert.Equal(10 / (double)CustomerActivity.ThroughputWindowSeconds, recent.ArchivedPerSecond);
        Assert.Equal(1, later.RateLimitedLastMinute);
        Assert.Equal(0, later.ArchivedPerSecond);
    }

    /// <summary>Listens to this test's meters only: other tests create their own through their own factories.</summary>
    private MeterListener Listen(CustomerId customer, List<(string Instrument, double Value)> seen)
    {
        var factory = MeterFactory;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ArchiverMetrics.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
            where T : struct
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ArchiverMetrics.CustomerTag && (string?)tag.Value == customer.Value)
                {
                    lock (seen)
                    {
                        seen.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)));
                    }
                }
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();
        return listener;
    }
}
