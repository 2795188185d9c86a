using System.Diagnostics;
using System.Globalization;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;

namespace Archiver.Bench;

/// <summary>The benchmark scenarios. Each bounds its own runtime and returns its figures.</summary>
internal sealed partial class Scenarios(bool quick)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private const double R = 50;
    private const int Burst = 10;

    /// <summary>Our drain time in the utilisation run, for the naive comparison.</summary>
    private double? _ourDrainSeconds;
    private double? _ourRateLimitedShare;

    public static readonly string[] Names = ["utilisation", "naive", "discovery", "isolation", "latency", "overhead", "cluster", "failover", "scaleout", "idle", "backlog"];

    private int UtilisationItems => quick ? 1_000 : 5_000;

    public Task<IReadOnlyList<Figure>> RunAsync(string name, CancellationToken cancellationToken) => name switch
    {
        "utilisation" => UtilisationAsync(cancellationToken),
        "naive" => NaiveAsync(cancellationToken),
        "discovery" => DiscoveryAsync(cancellationToken),
        "latency" => LatencyAsync(cancellationToken),
        "overhead" => OverheadAsync(cancellationToken),
        "idle" => IdleAsync(cancellationToken),
        "isolation" => IsolationAsync(cancellationToken),
        "backlog" => BacklogAsync(cancellationToken),
        "cluster" => ClusterAsync(cancellationToken),
        "failover" => FailoverAsync(cancellationToken),
        "scaleout" => ScaleOutAsync(cancellationToken),
        _ => throw new ArgumentException($"Unknown scenario '{name}'.", nameof(name)),
    };

    // ---- 1. utilisation ----

    /// <summary>
    /// One customer whose Dropbox allows R calls/s, configured at exactly R: how close the node comes to R, and how few
    /// calls Dropbox refuses. In <see cref="Rounds"/> rounds, each on a fresh store and emulator; every figure is the
    /// median of the rounds'. The start (the node up, the lease taken, the first page claimed) counts in the drain time.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> UtilisationAsync(CancellationToken cancellationToken)
    {
        const string scenario = "utilisation";
        var n = UtilisationItems;
        var ideal = n / R;
        Console.WriteLine($"[{scenario}] {n} items, Dropbox limit {R}/s burst {Burst}, node rate {R} burst {Burst} parallelism 8 (ideal drain {ideal:0.0} s), {Rounds} rounds");
        var runs = new List<UtilisationRun>();
        for (var round = 1; round <= Rounds; round++)
        {
            runs.Add(await UtilisationRunAsync(n, cancellationToken));
            var run = runs[^1];
            Console.WriteLine($"[{scenario}] round {round}: drained {run.Archived} in {run.Seconds:0.00} s{(run.Done ? "" : " (NOT drained)")}: achieved / R {run.Archived / run.Seconds / R:0.000}, " +
                $"{run.RateLimited} of {run.Requests} requests answered 429; first item archived {run.FirstAfter:0.00} s after the node started; " +
                $"node saw {run.NodeRateLimited} 429s (each pauses the customer for the Retry-After, 1 s); lowest throttle rate seen {run.LowestRate:0.0}/s");
        }

        var drainedAll = runs.All(r => r.Done);
        _ourDrainSeconds = drainedAll ? Spread.Of([.. runs.Select(r => r.Seconds)]).Median : null;
        _ourRateLimitedShare = Spread.Of([.. runs.Select(r => r.Share)]).Median;
        var timedOut = drainedAll ? null : $"{runs.Count(r => !r.Done)} of {Rounds} rounds timed out before the drain";
        return
        [
            Figure.Median(scenario, "achieved rate / R", [.. runs.Select(r => r.Archived / r.Seconds / R)], "x", Goal.AtLeast(0.97, "x"), isRatio: true, note: timedOut),
            Figure.Median(scenario, "429 share of requests", [.. runs.Select(r => r.Share)], "%", Goal.Below(0.5, "%"),
                note: $"{runs.Sum(r => r.RateLimited)} of {runs.Sum(r => r.Requests)} requests answered 429 over the {Rounds} rounds"),
            Figure.Median(scenario, "drain time / (N / R)", [.. runs.Select(r => r.Seconds / ideal)], "x", Goal.AtMost(1.05, "x"), isRatio: true),
            Figure.Median(scenario, "drain time", [.. runs.Select(r => r.Seconds)], "s", null),
            Figure.Median(scenario, "first item archived after the start", [.. runs.Select(r => r.FirstAfter)], "s", null),
            Figure.Median(scenario, "first -> last archived rate / R", [.. runs.Select(r => r.SteadyRate / R)], "x", null, isRatio: true),
        ];
    }

    private sealed record UtilisationRun(
        long Archived, bool Done, double Seconds, long Requests, long RateLimited, long NodeRateLimited, double FirstAfter, double SteadyRate, double LowestRate)
    {
        public double Share => Requests == 0 ? 0 : 100.0 * RateLimited / Requests;
    }

    private static async Task<UtilisationRun> UtilisationRunAsync(int n, CancellationToken cancellationToken)
    {
        const string customer = "util";
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        emulator.AddAccount(customer, BenchHost.TokenOf(customer), new AccountLimits(R, Burst));
        await using var host = new BenchHost(emulator.BaseUri, new PipelineOptions { RatePerSecond = R, Burst = Burst, Parallelism = 8 });
        await host.MigrateAsync(cancellationToken);
        await host.AddCustomerAsync(customer, new CustomerTuning(R, Burst, 8), cancellationToken);
        await EnqueueAsync(host, customer, n, 4096, cancellationToken);

        var startedAt = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        await host.StartAsync(cancellationToken);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lowestRate = SampleLowestRateAsync(host, sampling.Token);
        var drained = await WaitDrainedAsync(host.Store, n, TimeSpan.FromSeconds((n / R * 3) + 30), cancellationToken);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        var minRate = await lowestRate;
        var activity = host.Node.Activity().SingleOrDefault();
        await host.StopAsync();
        var stats = emulator.Stats(customer);
        var times = await ArchivedTimesAsync(host.Store, customer, cancellationToken);
        return new UtilisationRun(
            drained.Archived,
            drained.Done,
            elapsed,
            stats.Requests,
            stats.RateLimited,
            activity?.RateLimited ?? 0,
            FirstAfter: times.Count == 0 ? double.NaN : (times[0] - startedAt).TotalSeconds,
            SteadyRate: times.Count < 2 ? double.NaN : (times.Count - 1) / (times[^1] - times[0]).TotalSeconds,
            minRate);
    }

    // ---- 2. naive ----

    private async Task<IReadOnlyList<Figure>> NaiveAsync(CancellationToken cancellationToken)
    {
        const string scenario = "naive";
        var n = UtilisationItems;
        var ideal = n / R;
        var cap = TimeSpan.FromSeconds(quick ? Math.Max(90, ideal * 5) : Math.Max(90, ideal * 2.4));
        Console.WriteLine($"[{scenario}] same workload through the old scheduler (tick 2 s, one task per pending item, no throttle); capped at {cap.TotalSeconds:0} s");
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        const string customer = "naive";
        emulator.AddAccount(customer, BenchHost.TokenOf(customer), new AccountLimits(R, Burst));
        await using var host = new BenchHost(emulator.BaseUri, new PipelineOptions { RatePerSecond = R, Burst = Burst, Parallelism = 8 });
        await host.MigrateAsync(cancellationToken);
        await host.AddCustomerAsync(customer, new CustomerTuning(R, Burst, 8), cancellationToken);
        await EnqueueAsync(host, customer, n, 4096, cancellationToken);

        var naive = new Naive(host, new CustomerId(customer));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        var run = naive.RunAsync(stop.Token);
        var drained = await WaitDrainedAsync(host.Store, n, cap, cancellationToken);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await run;
        var stats = emulator.Stats(customer);
        var share = stats.Requests == 0 ? 0 : 100.0 * stats.RateLimited / stats.Requests;
        // When capped, extrapolate the drain time from the rate achieved so far (stated in the note).
        var drainSeconds = drained.Done ? elapsed : drained.Archived == 0 ? double.PositiveInfinity : elapsed * n / drained.Archived;
        var how = drained.Done
            ? $"drained in {elapsed:0.0} s over {naive.Ticks} ticks, {naive.TasksStarted} upload tasks started for {n} items"
            : $"did NOT drain within {elapsed:0} s ({drained.Archived} of {n} archived); drain time extrapolated at that rate; {naive.TasksStarted} upload tasks started";
        Console.WriteLine($"[{scenario}] {how}; emulator: {stats}");
        var figures = new List<Figure>
        {
            new(scenario, "naive: 429 share of requests", share, "%", null, Note: $"{stats.RateLimited} of {stats.Requests} requests answered 429"),
            new(scenario, "naive: drain time" + (drained.Done ? "" : " (extrapolated)"), drainSeconds, "s", null, Note: how),
            new(scenario, "naive: drain time / (N / R)", drainSeconds / ideal, "x", null, IsRatio: true),
            new(scenario, "naive: requests per item", (double)stats.Requests / n, "", null),
        };
        if (_ourDrainSeconds is { } ours && _ourRateLimitedShare is { } ourShare)
        {
            figures.Add(new(scenario, "ours (same run): 429 share of requests", ourShare, "%", null));
            figures.Add(new(scenario, "ours (same run): drain time", ours, "s", null));
            figures.Add(new(scenario, "naive drain time / our drain time", drainSeconds / ours, "x", null, IsRatio: true));
            figures.Add(new(scenario, "naive 429 share - ours (points)", share - ourShare, "", null));
        }

        return figures;
    }

    // ---- 3. latency ----

    private async Task<IReadOnlyList<Figure>> LatencyAsync(CancellationToken cancellationToken)
    {
        const string scenario = "latency";
        var duration = TimeSpan.FromSeconds(quick ? 10 : 30);
        var interval = TimeSpan.FromMilliseconds(500);
        Console.WriteLine($"[{scenario}] one item every {interval.TotalMilliseconds} ms for {duration.TotalSeconds} s to an unlimited account");
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        const string customer = "latency";
        emulator.AddAccount(customer, BenchHost.TokenOf(customer), AccountLimits.Unlimited);
        await using var host = new BenchHost(emulator.BaseUri, new PipelineOptions());
        await host.MigrateAsync(cancellationToken);
        await host.AddCustomerAsync(customer, new CustomerTuning(1000, 100, 8), cancellationToken);
        await host.StartAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the pipeline takes its lease and goes idle

        var count = (int)(duration / interval);
        using (var timer = new PeriodicTimer(interval))
        {
            for (var i = 0; i < count; i++)
            {
                await host.Store.EnqueueAsync([BenchHost.Item(customer, i, 4096, Start)], cancellationToken);
                await timer.WaitForNextTickAsync(cancellationToken);
            }
        }

        var drained = await WaitDrainedAsync(host.Store, count, TimeSpan.FromSeconds(15), cancellationToken);
        await host.StopAsync();
        var latencies = new List<double>();
        var afterId = 0L;
        while (true)
        {
            var page = await host.Store.ListItemsAsync(new ItemQuery(new CustomerId(customer), ItemStatus.Archived, afterId, 1000), cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            latencies.AddRange(page.Select(s => (s.UpdatedAt - s.Item.EnqueuedAt).TotalMilliseconds));
            afterId = page[^1].Item.Id;
        }

        latencies.Sort();
        var note = $"{latencies.Count} of {count} items archived{(drained.Done ? "" : " (timed out)")}; enqueue -> archived measured from the store's enqueued and updated times (ms resolution)";
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            new(scenario, "enqueue -> archived p50", Percentile(latencies, 0.50), "ms", Goal.Below(100, "ms"), Note: note),
            new(scenario, "enqueue -> archived p99", Percentile(latencies, 0.99), "ms", null),
            new(scenario, "enqueue -> archived max", latencies.Count == 0 ? double.NaN : latencies[^1], "ms", null),
        ];
    }

    // ---- 5. idle ----

    /// <summary>How long the idle scenario waits at most for every customer to be served before it measures anyway.</summary>
    private static readonly TimeSpan StartCap = TimeSpan.FromMinutes(3);

    /// <summary>
    /// CPU and peak RSS of a node whose customers have nothing to do. The node runs in a process of its own: in the
    /// bench's process, RSS would count what every earlier scenario left behind (some 300 MB after the others).
    /// </summary>
    private async Task<IReadOnlyList<Figure>> IdleAsync(CancellationToken cancellationToken)
    {
        const string scenario = "idle";
        var customers = quick ? 1_000 : 10_000;
        var window = TimeSpan.FromSeconds(quick ? 15 : 60);
        var warmUp = TimeSpan.FromSeconds(quick ? 5 : 15);
        Console.WriteLine($"[{scenario}] {customers} customers with nothing to do; warm-up {warmUp.TotalSeconds} s or until every customer is served (its control state recovered), then measured for {window.TotalSeconds} s, in a process of its own");
        var run = await ChildMeasurement.RunAsync<IdleRun>(
            IdleMeasurement, [Invariant(customers), Invariant(warmUp.TotalSeconds), Invariant(window.TotalSeconds)], cancellationToken);
        var served = run.AllServedAfterSeconds is { } after
            ? $"all served {after:0.0} s after the start"
            : $"NOT all served within {Math.Max(warmUp.TotalSeconds, StartCap.TotalSeconds):0} s of the start";
        var note = $"measured in a process of its own, so nothing from earlier scenarios counts: {run.Served} customers served, {run.Idle} of them idle (waiting for work, pipeline down); {served} (control state recovered from the journal, lease taken); CPU during the {run.WarmedForSeconds:0} s warm-up {run.WarmUpCpuShare:0.0}%; RSS before the node started {run.BaselineMb:0} MB, at the end {run.EndMb:0} MB of which managed heap {run.ManagedHeapMb:0} MB; {run.Threads} threads; the idle emulator shares that process";
        Console.WriteLine($"[{scenario}] CPU {run.CpuShare:0.00}%, peak RSS {run.PeakMb:0} MB; {note}");
        return
        [
            new(scenario, "CPU share (all cores)", run.CpuShare, "%", Goal.Below(2, "%"), Note: note),
            new(scenario, "peak RSS", run.PeakMb, "MB", Goal.Below(300, "MB")),
            new(scenario, "every customer served after", run.AllServedAfterSeconds ?? double.NaN, "s", Goal.Below(60, "s")),
        ];
    }

    /// <summary>
    /// What the idle node's process measured. CPU shares are of all cores, in percent; <see cref="AllServedAfterSeconds"/>
    /// is null when not every customer was served before the measuring began.
    /// </summary>
    private sealed record IdleRun(
        double CpuShare, double PeakMb, double? AllServedAfterSeconds, int Served, int Idle, double WarmedForSeconds, double WarmUpCpuShare,
        double BaselineMb, double EndMb, double ManagedHeapMb, int Threads);

    /// <summary>The idle node itself; runs in a process of its own (see <see cref="IdleAsync"/>).</summary>
    private static async Task<IdleRun> MeasureIdleAsync(int customers, TimeSpan warmUp, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        await using var host = new BenchHost(emulator.BaseUri, new PipelineOptions());
        await host.MigrateAsync(cancellationToken);
        for (var c = 0; c < customers; c++)
        {
            await host.AddCustomerAsync($"idle{c:D5}", CustomerTuning.Default, cancellationToken);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        await host.StartAsync(cancellationToken);
        var warm = Stopwatch.StartNew();
        var warmCpu = process.TotalProcessorTime;
        var allServedAfter = TimeSpan.Zero;
        while (warm.Elapsed < warmUp || (allServedAfter == TimeSpan.Zero && warm.Elapsed < StartCap))
        {
            await Task.Delay(250, cancellationToken);
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            if (allServedAfter == TimeSpan.Zero && host.Node.Activity().Count(a => a.Phase == PipelinePhases.Idle) == customers)
            {
                allServedAfter = warm.Elapsed; // each customer's control recovered, its lease taken, waiting for work
            }
        }

        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var warmedFor = warm.Elapsed;
        var warmShare = (cpu0 - warmCpu).TotalSeconds / warmedFor.TotalSeconds / Environment.ProcessorCount * 100;
        var measured = Stopwatch.StartNew();
        while (measured.Elapsed < window)
        {
            await Task.Delay(250, cancellationToken);
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
        }

        process.Refresh();
        var share = (process.TotalProcessorTime - cpu0).TotalSeconds / measured.Elapsed.TotalSeconds / Environment.ProcessorCount * 100;
        var served = host.Node.Activity();
        var idle = served.Count(a => a.Phase == PipelinePhases.Idle);
        var steady = process.WorkingSet64;
        var managed = GC.GetGCMemoryInfo().HeapSizeBytes;
        var threads = process.Threads.Count;
        await host.StopAsync();
        return new IdleRun(
            share, peak / 1048576.0, allServedAfter == TimeSpan.Zero ? null : allServedAfter.TotalSeconds, served.Count, idle, warmedFor.TotalSeconds, warmShare,
            baseline / 1048576.0, steady / 1048576.0, managed / 1048576.0, threads);
    }

    // ---- measurements in a child process ----

    private const string BacklogMeasurement = "backlog";
    private const string IdleMeasurement = "idle";

    /// <summary>
    /// The child process's side of <see cref="ChildMeasurement"/>: runs the named measurement with the parameters its
    /// parent passed, in the order the parent lists them, and answers. The parent kills it to cancel it.
    /// </summary>
    public static Task<int> RunChildMeasurementAsync(string measurement, string[] parameters) => measurement switch
    {
        BacklogMeasurement => ChildMeasurement.AnswerAsync(
            DrainBacklogAsync(IntOf(parameters[0]), SecondsOf(parameters[1]), CancellationToken.None)),
        IdleMeasurement => ChildMeasurement.AnswerAsync(
            MeasureIdleAsync(IntOf(parameters[0]), SecondsOf(parameters[1]), SecondsOf(parameters[2]), CancellationToken.None)),
        _ => throw new ArgumentException($"Unknown child measurement '{measurement}'.", nameof(measurement)),
    };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static int IntOf(string parameter) => int.Parse(parameter, CultureInfo.InvariantCulture);

    private static TimeSpan SecondsOf(string parameter) => TimeSpan.FromSeconds(double.Parse(parameter, CultureInfo.InvariantCulture));

    // ---- helpers ----

    /// <summary>Lowest throttle rate the node reports while the scenario runs (it halves on each 429).</summary>
    private static async Task<double> SampleLowestRateAsync(BenchHost host, CancellationToken cancellationToken)
    {
        var lowest = double.PositiveInfinity;
        try
        {
            while (true)
            {
                foreach (var a in host.Node.Activity())
                {
                    if (a.CurrentRate is { } rate)
                    {
                        lowest = Math.Min(lowest, rate);
                    }
                }

                await Task.Delay(20, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return lowest;
        }
    }

    /// <summary>When each archived item was archived (its row's updated time), sorted.</summary>
    private static async Task<List<DateTimeOffset>> ArchivedTimesAsync(IArchiveStore store, string customer, CancellationToken cancellationToken)
    {
        var times = new List<DateTimeOffset>();
        var afterId = 0L;
        while (true)
        {
            var page = await store.ListItemsAsync(new ItemQuery(new CustomerId(customer), ItemStatus.Archived, afterId, 1000), cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            times.AddRange(page.Select(s => s.UpdatedAt));
            afterId = page[^1].Item.Id;
        }

        times.Sort();
        return times;
    }

    private static async Task EnqueueAsync(BenchHost host, string customer, int count, int size, CancellationToken cancellationToken)
    {
        for (var from = 0; from < count; from += 1000)
        {
            var batch = Enumerable.Range(from, Math.Min(1000, count - from)).Select(i => BenchHost.Item(customer, i, size, Start)).ToList();
            await host.Store.EnqueueAsync(batch, cancellationToken);
        }
    }

    private readonly record struct Drained(bool Done, long Archived);

    /// <summary>Polls every <paramref name="pollMs"/> ms until every item is archived or failed, or the limit passes.</summary>
    /// <summary>
    /// Waits until the store holds <paramref name="expected"/> items archived or failed and nothing pending. With
    /// <paramref name="hosts"/>, the store is asked only once their in-memory counters say every item was uploaded: a
    /// progress query counts every item, and asked ten times a second it would take a third of PostgreSQL's time
    /// from the node it measures.
    /// </summary>
    private static async Task<Drained> WaitDrainedAsync(
        IArchiveStore store, long expected, TimeSpan limit, CancellationToken cancellationToken, int pollMs = 20, IReadOnlyList<BenchHost>? hosts = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (hosts is not null && stopwatch.Elapsed <= limit
                && hosts.Sum(h => h.Node.Activity().Sum(a => a.Archived + a.Failed)) < expected)
            {
                await Task.Delay(pollMs, cancellationToken);
                continue;
            }

            var progress = await store.GetProgressAsync(null, cancellationToken);
            var done = progress.Sum(p => p.Archived + p.Failed);
            var archived = progress.Sum(p => p.Archived);
            if (done >= expected && progress.All(p => p.Backlog == 0))
            {
                return new Drained(true, archived);
            }

            if (stopwatch.Elapsed > limit)
            {
                return new Drained(false, archived);
            }

            await Task.Delay(pollMs, cancellationToken);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Describe(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);
}
