using Archiver.Core.Customers;
using Archiver.Core.Diagnostics;

namespace Archiver.Core.Pipeline;

/// <summary>
/// Live counters of one customer on this node, kept across pipeline restarts: what the status view,
/// the demo's progress bars and metrics read. Updated lock-free from the uploads; the per-second
/// windows (429s in the last minute, recent throughput) are read from <paramref name="time"/>. The running stream's
/// <see cref="PipelineLoadMeter"/> and the throttle's limits tell status what holds the customer back (<see cref="LimitedBy"/>).
/// </summary>
/// <param name="metrics">Where archived items, bytes, 429s and upload times are also reported; null to report nowhere.</param>
public sealed class CustomerActivity(CustomerId customer, TimeProvider? time = null, ArchiverMetrics? metrics = null)
{
    /// <summary>Seconds the throughput figure averages over (whole seconds before the current one).</summary>
    public const int ThroughputWindowSeconds = 5;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SecondWindow _archivedWindow = new();
    private readonly SecondWindow _rateLimitedWindow = new();
    private long _archived;
    private long _failed;
    private long _retried;
    private long _rateLimited;
    private long _bytes;
    private long _restarts;
    private volatile Throttle? _throttle;
    private volatile PipelineLoadMeter? _load;
    private volatile string _phase = PipelinePhases.Starting;
    private volatile string? _lastError;
    private volatile bool _runsHere;

    public CustomerId Customer { get; } = customer;

    /// <summary>Whether the customer's actor runs on this node now (the cluster may move it to another).</summary>
    public bool RunsHere => _runsHere;

    /// <summary>The customer's actor started (true) or stopped (false) on this node.</summary>
    public void Hosted(bool here) => _runsHere = here;

    /// <summary>Items archived so far: one read, for totals over every customer (a snapshot costs more).</summary>
    public long ArchivedCount => Interlocked.Read(ref _archived);

    public void Archived(long bytes)
    {
        Interlocked.Increment(ref _archived);
        Interlocked.Add(ref _bytes, bytes);
        _archivedWindow.Add(Second());
        if (metrics is not null)
        {
            var tags = ArchiverMetrics.Tags(Customer);
            metrics.ItemsArchived.Add(1, tags);
            metrics.BytesArchived.Add(bytes, tags);
        }
    }

    /// <summary>An item archived, with how long its upload took.</summary>
    public void Archived(long bytes, TimeSpan uploadLatency)
    {
        Archived(bytes);
        UploadCompleted(uploadLatency);
    }

    /// <summary>Records one upload's duration (whatever its outcome) in the latency histogram.</summary>
    public void UploadCompleted(TimeSpan latency) =>
        metrics?.UploadLatency.Record(latency.TotalSeconds, ArchiverMetrics.Tags(Customer));

    public void Failed(string reason)
    {
        Interlocked.Increment(ref _failed);
        _lastError = reason;
    }

    public void Retried(string reason)
    {
        Interlocked.Increment(ref _retried);
        _lastError = reason;
    }

    public void RateLimited()
    {
        Interlocked.Increment(ref _rateLimited);
        _rateLimitedWindow.Add(Second());
        metrics?.RateLimited.Add(1, ArchiverMetrics.Tags(Customer));
    }

    public void Restarted(string reason)
    {
        Interlocked.Increment(ref _restarts);
        _lastError = reason;
    }

    public void Phase(string phase) => _phase = phase;

    public void UseThrottle(Throttle throttle) => _throttle = throttle;

    /// <summary>A stream with <paramref name="parallelism"/> upload slots starts: its meter, which status reads from now on.</summary>
    public PipelineLoadMeter MeasureLoad(int parallelism)
    {
        var meter = new PipelineLoadMeter(parallelism, _time);
        _load = meter;
        return meter;
    }

    public CustomerActivitySnapshot Snapshot()
    {
        var throttle = _throttle;
        var phase = _phase;
        var currentRate = throttle?.CurrentRate;
        var pausedUntil = throttle?.PausedUntil;
        var load = phase == PipelinePhases.Running ? _load?.Read() : null; // the last stream's figures say nothing once it is down
        var now = Second();
        return new CustomerActivitySnapshot(
            Customer,
            phase,
            Interlocked.Read(ref _archived),
            Interlocked.Read(ref _failed),
            Interlocked.Read(ref _retried),
            Interlocked.Read(ref _rateLimited),
            Interlocked.Read(ref _bytes),
            Interlocked.Read(ref _restarts),
            currentRate,
            pausedUntil,
            _lastError)
        {
            LimitedBy = LimitedByRule.Decide(phase, currentRate, pausedUntil, throttle?.CeilingPerSecond, load),
            Load = load,
            RateLimitedLastMinute = _rateLimitedWindow.Sum(now - SecondWindow.Length + 1, now),
            ArchivedPerSecond = _archivedWindow.Sum(now - ThroughputWindowSeconds, now - 1) / (double)ThroughputWindowSeconds,
        };
    }

    private long Second() => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Event counts per wall-clock second over the last minute, in a ring of one slot per second. The ring is allocated
    /// by the first event: most customers of a large node are idle, and their windows stay empty.
    /// </summary>
    private sealed class SecondWindow
    {
        public const int Length = 60;

        private readonly Lock _lock = new();
        private long[]? _seconds;
        private long[]? _counts;

        public void Add(long second)
        {
            var slot = (int)(second % Length);
            lock (_lock)
            {
                _seconds ??= new long[Length];
                _counts ??= new long[Length];
                if (_seconds[slot] != second)
                {
                    _seconds[slot] = second;
                    _counts[slot] = 0;
                }

                _counts[slot]++;
            }
        }

        /// <summary>Events in the seconds <paramref name="from"/>..<paramref name="to"/>, both included.</summary>
        public long Sum(long from, long to)
        {
            long sum = 0;
            lock (_lock)
            {
                if (_seconds is null || _counts is null)
                {
                    return 0;
                }

                for (var i = 0; i < Length; i++)
                {
                    if (_seconds[i] >= from && _seconds[i] <= to)
                    {
                        sum += _counts[i];
                    }
                }
            }

            return sum;
        }
    }
}
