using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Dropbox.Emulator;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- discovery: learning Dropbox's real limit (issue 14) ----

    /// <summary>Dropbox's real limit for every account of the scenario, L (calls/s).</summary>
    private const double DiscoveryLimit = 20;

    /// <summary>Dropbox's burst for every account, and the burst every customer is configured with.</summary>
    private const int DiscoveryBurst = 10;

    /// <summary>Uploads in flight per customer: rate × latency (at most 160/s × 30 ms ≈ 5) never binds.</summary>
    private const int DiscoveryParallelism = 16;

    /// <summary>The configured ceilings, as multiples of the real limit.</summary>
    private static readonly int[] DiscoveryCeilings = [1, 2, 4, 8];

    /// <summary>
    /// Issue 14's acceptance, every ratio from one run: how well a customer's throttle finds the rate Dropbox really
    /// allows when its configured ceiling is wrong, with the service's <see cref="RateController"/> ("new") and, measured
    /// beside it in the same run, the halving controller the service had before (<see cref="HalvingRateController"/>,
    /// "old"). One emulator; every customer has an account of its own with the real limit L = 20 calls/s and burst 10
    /// (configured burst 10 too, parallelism 16, items of 1 KB: one upload call each, so calls and items are the same
    /// count), and every account adds 5–25 ms of latency after admitting a call, as a real Dropbox would: what a
    /// controller sees of an accepted call comes late and jittered. Three parts run at once, so the whole scenario takes
    /// one drain (about 5 minutes):
    /// <list type="bullet">
    /// <item><b>Ceilings.</b> On one node, for each ceiling of 1×, 2×, 4× and 8× L a new and an old customer drain 5,000
    /// items (quick: 1,000). <i>Achieved / allowed</i> is the calls Dropbox admitted over the customer's drain divided by
    /// what its bucket allowed in that time, L·T + burst, T from the customer's first call to the admission of its last
    /// item (the emulator's counters, sampled every 25 ms: its files' times are whole seconds, too coarse); the bucket
    /// makes 1 the best possible. A customer still draining at the cap (1.15 × the ideal drain + 10 s; only ever the
    /// old controller so far) is measured up to the cap, as its note says. <i>429 share</i>: the emulator's rate-limited
    /// calls over all calls of the account.</item>
    /// <item><b>Limit halved, then restored.</b> On the same node a new and an old customer with a 2× L ceiling and a
    /// backlog that lasts, and a pair with a 4× L ceiling beside them: how a customer follows a change depends on how
    /// well it knew the limit before, and the two ceilings learn it differently (see the ceilings' figures). After 60 s (quick: 30 s) their accounts' limit drops to L/2 for 40 s (quick: 20 s), then
    /// returns to L, and the run follows for 60 s more (quick: 30 s). Two views of following a change, both shown:
    /// <i>learned limit follows after</i> (the target): from the change until the limit the controller learned lies within
    /// 10 % of the new limit and stays there to the next change (<see cref="LimitTrackedAfter"/>); and <i>throughput in
    /// the band after</i>: in the band at an instant when, over the trailing 2 s (stepped every 100 ms), the customer got
    /// at least 0.9× the new limit and asked for at most 1.1× it (both bounds, because after a drop Dropbox's bucket holds
    /// the accepted rate to the new limit whatever the customer does, so only the attempts show it still pushes above;
    /// after the rise only the accepted rate shows it came back up), from the change until it is in the band and stays
    /// there for the rest of the 25 s after the change (the whole span when shorter; 25 s, because a controller that has
    /// settled probes above again once it has held long enough, <see cref="RateController.HoldBeforeProbing"/>, and that
    /// probe's pause is its steady state). After a drop the learning controller probes every few seconds for the limit it
    /// remembers, each probe a 429 and a second's pause, which puts any 2 s window out of the band: that is how it finds a
    /// limit that comes back within seconds, and what the throughput view counts against it. Beside them, what the
    /// customer got of what Dropbox allowed until the next change. The notes add when the
    /// customer first held the band 5 s, its share of time in the band, its rates over the whole span and the
    /// per-second trace from 3 s before the change.</item>
    /// <item><b>Restart.</b> A second node (its own store and control journal) runs a new and an old customer at a 4× L
    /// ceiling for 60 s (quick: 30 s), long enough to learn the limit, which the customer's actor journals
    /// (<c>RateLearned</c>) as its throttle's learned limit. Then the node is stopped as the app stops it (drained) and a
    /// new node starts on the same store and journal (<see cref="BenchHost.RestartAsync"/>); its customers resume at the
    /// rate they had learned. <i>429 share, first minute</i> counts the emulator's answers in the 60 s (quick: 30 s)
    /// after the new node started; beside it, for context, what the customer got of what Dropbox allowed in that window
    /// (from its first call after the restart): resuming at a learned limit that is stale or low costs no 429s but
    /// shows there.</item>
    /// </list>
    /// The process is warmed first (<see cref="WarmUpAsync"/>), and every controller is wrapped to record each
    /// pushback it learned from (the rate before, the limit after) and each resume from the journal, for the notes.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> DiscoveryAsync(CancellationToken cancellationToken)
    {
        const string scenario = "discovery";
        var plan = DiscoveryPlan.For(quick);
        var accountLimits = new AccountLimits(DiscoveryLimit, DiscoveryBurst)
        {
            Latency = TimeSpan.FromMilliseconds(5),
            LatencyJitter = TimeSpan.FromMilliseconds(20),
        };
        var ceilingCustomers = DiscoveryCeilings.SelectMany(k => new[] { Customer(k, Controller.New), Customer(k, Controller.Old) }).ToList();
        var dropCustomers = new[] { 2, 4 }.SelectMany(k => new[] { new DiscoveryCustomer($"new-drop{k}x", k, Controller.New), new DiscoveryCustomer($"old-drop{k}x", k, Controller.Old) }).ToList();
        var restartCustomers = new[] { new DiscoveryCustomer("new-restart", 4, Controller.New), new DiscoveryCustomer("old-restart", 4, Controller.Old) };
        var all = ceilingCustomers.Concat(dropCustomers).Concat(restartCustomers).ToList();
        Console.WriteLine($"[{scenario}] real limit L = {DiscoveryLimit}/s burst {DiscoveryBurst} on every account; new (learning) vs old (halving) controller, parallelism {DiscoveryParallelism}, all at once:");
        Console.WriteLine($"[{scenario}]   ceilings {string.Join(", ", DiscoveryCeilings.Select(k => $"{k}x"))} L: {plan.Items} items each (cap {plan.Cap.TotalSeconds:0} s)");
        Console.WriteLine($"[{scenario}]   2x and 4x L ceilings, limit L -> L/2 at {plan.DropAt.TotalSeconds:0} s -> L at {plan.RestoreAt.TotalSeconds:0} s, followed to {plan.FollowUntil.TotalSeconds:0} s ({plan.DropItems} items each)");
        Console.WriteLine($"[{scenario}]   4x L ceiling on a second node, restarted at {plan.RestartAt.TotalSeconds:0} s, then {plan.AfterRestart.TotalSeconds:0} s measured ({plan.RestartItems} items each)");
        Console.WriteLine($"[{scenario}]   load average at start: {LoadAverage()}");

        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        await WarmUpAsync(emulator, cancellationToken);
        var clock = new Stopwatch();
        var log = new ControllerLog(clock);
        var old = all.Where(c => c.Controller == Controller.Old).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        IRateController Controllers(CustomerId id, ThrottleLimits limits) =>
            log.Wrap(id.Value, old.Contains(id.Value) ? new HalvingRateController(limits) : new RateController(limits));
        var pipeline = new PipelineOptions { RatePerSecond = DiscoveryLimit, Burst = DiscoveryBurst, Parallelism = DiscoveryParallelism };
        await using var host = new BenchHost(emulator.BaseUri, pipeline, new NodeOptions { NodeId = "discovery" }, rateControllers: Controllers);
        await using var restartHost = new BenchHost(emulator.BaseUri, pipeline, new NodeOptions { NodeId = "discovery-restart" }, rateControllers: Controllers);
        await host.MigrateAsync(cancellationToken);
        await restartHost.MigrateAsync(cancellationToken);
        foreach (var c in all)
        {
            var onHost = restartCustomers.Contains(c) ? restartHost : host;
            emulator.AddAccount(c.Id, BenchHost.TokenOf(c.Id), accountLimits);
            await onHost.AddCustomerAsync(c.Id, new CustomerTuning(c.Ceiling * DiscoveryLimit, DiscoveryBurst, DiscoveryParallelism), cancellationToken);
            var items = ceilingCustomers.Contains(c) ? plan.Items : dropCustomers.Contains(c) ? plan.DropItems : plan.RestartItems;
            await EnqueueAsync(onHost, c.Id, items, 1024, cancellationToken);
        }

        var sampler = new DiscoverySampler(emulator, [.. all.Select(c => c.Id)], [host, restartHost], clock);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        clock.Start();
        var sampled = sampler.RunAsync(sampling.Token);
        await host.StartAsync(cancellationToken);
        await restartHost.StartAsync(cancellationToken);

        var drop = DropAndRestoreAsync(emulator, dropCustomers, accountLimits, plan, clock, cancellationToken);
        var restart = RestartNodeAsync(restartHost, emulator, restartCustomers, plan, clock, cancellationToken);
        await WaitForCeilingsAsync(emulator, ceilingCustomers, plan, clock, cancellationToken);
        var ceilingStats = ceilingCustomers.ToDictionary(c => c.Id, c => emulator.Stats(c.Id), StringComparer.Ordinal); // drained, or at the cap
        var changes = await drop;
        var restarted = await restart;
        var endedAt = clock.Elapsed;
        await sampling.CancelAsync();
        await sampled;
        await host.StopAsync();
        Console.WriteLine($"[{scenario}] measured for {endedAt.TotalSeconds:0} s; load average at the end: {LoadAverage()}");

        var figures = new List<Figure>();
        foreach (var k in DiscoveryCeilings)
        {
            var (goalRatio, goalShare) = k == 1 ? (0.98, 0.5) : (0.95, 1.0);
            foreach (var c in ceilingCustomers.Where(c => c.Ceiling == k))
            {
                var drain = sampler.Drain(c.Id, plan.Items, plan.Cap.TotalSeconds);
                var stats = ceilingStats[c.Id];
                var share = stats.Requests == 0 ? 0 : 100.0 * stats.RateLimited / stats.Requests;
                var isNew = c.Controller == Controller.New;
                var pushbacks = log.Events(c.Id).Where(e => e.What == "429").ToList();
                var start = drain.BeforeFirstCall is { } first
                    ? $"; from its first call at {drain.FirstCall:0.00} s, accepted/429 per 100 ms: {sampler.PerSecond(c.Id, first, first + 1, log, every: 0.1, rates: false)}; " +
                        $"per second (rate set): {sampler.PerSecond(c.Id, first, first + 8, log)}"
                    : "";
                var note = $"{drain.Accepted} items in {drain.Seconds:0.0} s (allowed {drain.Allowed:0}){drain.Unfinished}; {stats.RateLimited} of {stats.Requests} calls answered 429 " +
                    $"in {pushbacks.Count} pause windows{(drain.FirstPushback - drain.FirstCall is { } p ? $", the first {p:0.00} s after its first call" : "")}; {Learned(pushbacks)}{start}";
                Console.WriteLine($"[{scenario}] {c.Id}: achieved / allowed {drain.Ratio:0.000}, 429 share {share:0.000} %: {note}");
                figures.Add(new(scenario, $"{k}x L: achieved / allowed, {c.Label}", drain.Ratio, "x", isNew ? Goal.AtLeast(goalRatio, "x") : null, IsRatio: true, Note: note));
                figures.Add(new(scenario, $"{k}x L: 429 share, {c.Label}", share, "%", isNew ? Goal.AtMost(goalShare, "%") : null));
            }
        }

        foreach (var change in changes)
        {
            foreach (var c in dropCustomers)
            {
                var tracked = sampler.Tracking(c.Id, change.At, change.Until, change.NewLimit);
                var trace = sampler.PerSecond(c.Id, change.At - 3, change.At + 15, log);
                var pushbacks = log.Events(c.Id).Where(e => e.What == "429" && e.At >= change.At && e.At < change.Until).ToList();
                var judged = Math.Min(change.Until - change.At, DiscoverySampler.SettleHorizon);
                var note = $"{(tracked.Settled is { } s ? $"tracked after {s:0.0} s" : $"not in the band at the end of the {judged:0} s judged")}; " +
                    $"first held the band 5 s after {Seconds(tracked.HeldFiveSeconds)}; in band {100 * tracked.InBandShare:0} % of the time; " +
                    $"over the {change.Until - change.At:0} s to the {(change.Name == "halved" ? "restore" : "end")}: {tracked.Accepted / (change.Until - change.At):0.0}/s accepted, {tracked.Attempted / (change.Until - change.At):0.0}/s attempted, " +
                    $"{tracked.Attempted - tracked.Accepted} of {tracked.Attempted} calls answered 429 in {pushbacks.Count} pause windows ({Learned(pushbacks)}); " +
                    $"per second from {change.At - 3:0} s, accepted/429 (rate set): {trace}";
                Console.WriteLine($"[{scenario}] {c.Id}, limit {change.Name} at {change.At:0.0} s: {note}");
                var limitTracked = LimitTrackedAfter(log.Events(c.Id), change.At, change.Until, change.NewLimit);
                var limitNote = $"learned limit {(limitTracked is { } l ? $"within 10 % of the new limit {l:0.0} s after the change, and stayed there to the {(change.Name == "halved" ? "restore" : "end")}" : "never settled within 10 % of the new limit")}: " +
                    string.Join(", ", log.Events(c.Id).Where(e => e.At >= change.At - 1 && e.At < change.Until && e.Learned is not null).Select(e => $"{e.At:0.0} s {e.What} -> {e.Learned:0.0}"));
                figures.Add(new(
                    scenario, $"{c.Ceiling}x L, limit {change.Name}: learned limit follows after, {c.Label}", limitTracked ?? change.Until - change.At, "s",
                    c.Controller == Controller.New ? Goal.AtMost(10, "s") : null, Note: limitNote));
                figures.Add(new(
                    scenario, $"{c.Ceiling}x L, limit {change.Name}: throughput in the band after, {c.Label}", tracked.Settled ?? judged, "s", null, Note: note));
                figures.Add(new(
                    scenario, $"{c.Ceiling}x L, limit {change.Name}: achieved / allowed until the next change, {c.Label}",
                    tracked.Accepted / ((change.NewLimit * (change.Until - change.At)) + DiscoveryBurst), "x", null, IsRatio: true));
            }
        }

        foreach (var c in restartCustomers)
        {
            var r = restarted[c.Id];
            var share = r.After.Requests == 0 ? 0 : 100.0 * r.After.RateLimited / r.After.Requests;
            var resumed = log.Events(c.Id).Where(e => e.What == "resume").Select(e => (double?)e.Learned).LastOrDefault();
            var before = r.Before.Requests == 0 ? 0 : 100.0 * r.Before.RateLimited / r.Before.Requests;
            var trace = sampler.PerSecond(c.Id, r.RestartedAt, r.RestartedAt + plan.AfterRestart.TotalSeconds, log, every: 5);
            var live = log.Events(c.Id).Where(e => e.What == "429" && e.At < r.RestartedAt - r.StopSeconds).Select(e => e.Learned).LastOrDefault();
            // Over the window from the first call after the restart: what Dropbox's bucket allowed in that time.
            var calledFor = plan.AfterRestart.TotalSeconds - (r.FirstCallAfter ?? plan.AfterRestart.TotalSeconds);
            var achieved = (r.After.Requests - r.After.RateLimited) / ((DiscoveryLimit * calledFor) + DiscoveryBurst);
            var note = $"{r.After.RateLimited} of {r.After.Requests} calls answered 429 in the {plan.AfterRestart.TotalSeconds:0} s after the new node started " +
                $"(stop took {r.StopSeconds:0.0} s, first call {Seconds(r.FirstCallAfter)} after the start); resumed at {(resumed is { } x ? $"a learned {x:0.0}/s" : "the ceiling (nothing learned journaled)")} " +
                $"(the controller's own estimate before the stop: {(live is { } l ? $"{l:0.0}/s" : "none")}; the actor journals it when it moved by a tenth); achieved / allowed from the first call {achieved:0.000}; " +
                $"before the restart {before:0.00} % of {r.Before.Requests}; {Learned(log.Events(c.Id).Where(e => e.What == "429" && e.At >= r.RestartedAt).ToList())}; " +
                $"per 5 s after the start, accepted/429 (rate set): {trace}";
            Console.WriteLine($"[{scenario}] {c.Id}: {note}");
            figures.Add(new(scenario, $"restart: 429 share, first {plan.AfterRestart.TotalSeconds:0} s, {c.Label}", share, "%",
                c.Controller == Controller.New ? Goal.AtMost(1.0, "%") : null, Note: note));
            figures.Add(new(scenario, $"restart: achieved / allowed, first {plan.AfterRestart.TotalSeconds:0} s, {c.Label}", achieved, "x", null, IsRatio: true));
        }

        return figures;

        static DiscoveryCustomer Customer(int ceiling, Controller controller) =>
            new($"{(controller == Controller.New ? "new" : "old")}-{ceiling}x", ceiling, controller);
    }

    private enum Controller
    {
        New,
        Old,
    }

    private sealed record DiscoveryCustomer(string Id, int Ceiling, Controller Controller)
    {
        public string Label => Controller == Controller.New ? "new" : "old (halving)";
    }

    /// <summary>The scenario's sizes and times, full or quick (quick halves the phases: a smoke test of the whole).</summary>
    private sealed record DiscoveryPlan(
        int Items, TimeSpan Cap, int DropItems, TimeSpan DropAt, TimeSpan RestoreAt, TimeSpan FollowUntil, int RestartItems, TimeSpan RestartAt, TimeSpan AfterRestart)
    {
        public static DiscoveryPlan For(bool quick)
        {
            var items = quick ? 1_000 : 5_000;
            var phase = quick ? 30 : 60;
            var dropFor = quick ? 20 : 40;
            var cap = TimeSpan.FromSeconds((items / DiscoveryLimit * 1.15) + 10);
            // Enough backlog that the customers of the drop and the restart never run dry while followed (at L, L/2, L).
            var dropItems = (int)(((phase * 2 * DiscoveryLimit) + (dropFor * DiscoveryLimit / 2)) * 1.3);
            var restartItems = (int)(phase * 2 * DiscoveryLimit * 1.3);
            return new(
                items, cap, dropItems, TimeSpan.FromSeconds(phase), TimeSpan.FromSeconds(phase + dropFor), TimeSpan.FromSeconds((phase * 2) + dropFor),
                restartItems, TimeSpan.FromSeconds(phase), TimeSpan.FromSeconds(phase));
        }
    }

    /// <summary>One change of the drop customers' limit, and how long it was followed (until the next change or the end).</summary>
    private sealed record LimitChange(string Name, double At, double Until, double NewLimit);

    /// <summary>Drops the drop customers' accounts to L/2, then restores L, on the plan's schedule.</summary>
    private static async Task<IReadOnlyList<LimitChange>> DropAndRestoreAsync(
        DropboxEmulator emulator, IReadOnlyList<DiscoveryCustomer> customers, AccountLimits limits, DiscoveryPlan plan, Stopwatch clock, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(clock, plan.DropAt, cancellationToken);
        var droppedAt = clock.Elapsed.TotalSeconds;
        foreach (var c in customers)
        {
            emulator.Account(c.Id).Limits = limits with { RatePerSecond = DiscoveryLimit / 2 };
        }

        Console.WriteLine($"[discovery] {droppedAt:0.0} s: {string.Join(" and ", customers.Select(c => c.Id))} limit {DiscoveryLimit} -> {DiscoveryLimit / 2}/s");
        await DelayUntilAsync(clock, plan.RestoreAt, cancellationToken);
        var restoredAt = clock.Elapsed.TotalSeconds;
        foreach (var c in customers)
        {
            emulator.Account(c.Id).Limits = limits;
        }

        Console.WriteLine($"[discovery] {restoredAt:0.0} s: limit back to {DiscoveryLimit}/s");
        await DelayUntilAsync(clock, plan.FollowUntil, cancellationToken);
        return
        [
            new("halved", droppedAt, restoredAt, DiscoveryLimit / 2),
            new("restored", restoredAt, clock.Elapsed.TotalSeconds, DiscoveryLimit),
        ];
    }

    /// <param name="Before">The emulator's counts from the start until the old node had stopped.</param>
    /// <param name="After">The counts over the window after the new node started.</param>
    private sealed record Restarted(AccountStats Before, AccountStats After, double RestartedAt, double StopSeconds, double? FirstCallAfter);

    /// <summary>Lets the restart node's customers learn, restarts the node on the same store and journal, and counts the first window after.</summary>
    private static async Task<Dictionary<string, Restarted>> RestartNodeAsync(
        BenchHost host, DropboxEmulator emulator, IReadOnlyList<DiscoveryCustomer> customers, DiscoveryPlan plan, Stopwatch clock, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(clock, plan.RestartAt, cancellationToken);
        var stopping = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"[discovery] {stopping:0.0} s: restarting the second node ({string.Join(", ", host.Node.Activity().Select(a => $"{a.Customer} at {a.CurrentRate:0.0}/s"))})");
        await host.RestartAsync(cancellationToken);
        var restartedAt = clock.Elapsed.TotalSeconds;
        var before = customers.ToDictionary(c => c.Id, c => emulator.Stats(c.Id), StringComparer.Ordinal);
        Console.WriteLine($"[discovery] {restartedAt:0.0} s: new node started on the same store and journal (the stop took {restartedAt - stopping:0.0} s)");
        var firstCall = new Dictionary<string, double?>(StringComparer.Ordinal);
        var end = TimeSpan.FromSeconds(restartedAt) + plan.AfterRestart;
        while (clock.Elapsed < end)
        {
            foreach (var c in customers.Where(c => !firstCall.ContainsKey(c.Id) && emulator.Stats(c.Id).Requests > before[c.Id].Requests))
            {
                firstCall[c.Id] = clock.Elapsed.TotalSeconds - restartedAt;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50, Math.Max(1, (end - clock.Elapsed).TotalMilliseconds))), cancellationToken);
        }

        var after = customers.ToDictionary(c => c.Id, c => Minus(emulator.Stats(c.Id), before[c.Id]), StringComparer.Ordinal);
        Console.WriteLine($"[discovery] {clock.Elapsed.TotalSeconds:0.0} s: restart window over; stopping the second node");
        await host.StopAsync();
        return customers.ToDictionary(
            c => c.Id, c => new Restarted(before[c.Id], after[c.Id], restartedAt, restartedAt - stopping, firstCall.GetValueOrDefault(c.Id)), StringComparer.Ordinal);

        static AccountStats Minus(AccountStats a, AccountStats b) => new(a.Requests - b.Requests, a.RateLimited - b.RateLimited, a.Writes - b.Writes, a.UnchangedUploads - b.UnchangedUploads);
    }

    /// <summary>Waits until every ceiling customer has drained (or the cap), printing progress.</summary>
    private static async Task WaitForCeilingsAsync(
        DropboxEmulator emulator, IReadOnlyList<DiscoveryCustomer> customers, DiscoveryPlan plan, Stopwatch clock, CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var nextProgress = TimeSpan.FromSeconds(30);
        while (done.Count < customers.Count && clock.Elapsed < plan.Cap)
        {
            foreach (var c in customers.Where(c => !done.Contains(c.Id) && emulator.Stats(c.Id).Writes >= plan.Items))
            {
                done.Add(c.Id);
                Console.WriteLine($"[discovery] {clock.Elapsed.TotalSeconds:0.0} s: {c.Id} drained");
            }

            if (clock.Elapsed >= nextProgress)
            {
                nextProgress += TimeSpan.FromSeconds(30);
                Console.WriteLine($"[discovery] {clock.Elapsed.TotalSeconds:0} s: uploads {string.Join(", ", customers.Select(c => $"{c.Id} {emulator.Stats(c.Id).Writes}"))}");
            }

            await Task.Delay(250, cancellationToken);
        }

        if (done.Count < customers.Count)
        {
            Console.WriteLine($"[discovery] {clock.Elapsed.TotalSeconds:0.0} s: cap reached; still draining: {string.Join(", ", customers.Where(c => !done.Contains(c.Id)).Select(c => $"{c.Id} ({emulator.Stats(c.Id).Writes} of {plan.Items})"))}");
        }
    }

    /// <summary>
    /// Runs the whole path once on a throwaway node (a customer at twice its account's limit, so the 429 path too) so
    /// that the measured customers' first second is not the JIT compiling it on two cores while twelve customers start:
    /// that would make their first calls bunch up and their first pushback come early, and the estimate taken from it
    /// says more about the JIT than about the controller.
    /// </summary>
    private static async Task WarmUpAsync(DropboxEmulator emulator, CancellationToken cancellationToken)
    {
        const string customer = "warmup";
        const int items = 400;
        var started = Stopwatch.StartNew();
        emulator.AddAccount(customer, BenchHost.TokenOf(customer), new AccountLimits(100, DiscoveryBurst));
        await using var host = new BenchHost(
            emulator.BaseUri, new PipelineOptions { RatePerSecond = 200, Burst = DiscoveryBurst, Parallelism = DiscoveryParallelism }, new NodeOptions { NodeId = "discovery-warmup" });
        await host.MigrateAsync(cancellationToken);
        await host.AddCustomerAsync(customer, new CustomerTuning(200, DiscoveryBurst, DiscoveryParallelism), cancellationToken);
        await EnqueueAsync(host, customer, items, 1024, cancellationToken);
        await host.StartAsync(cancellationToken);
        await WaitDrainedAsync(host.Store, items, TimeSpan.FromSeconds(30), cancellationToken);
        await host.StopAsync();
        Console.WriteLine($"[discovery] warmed up in {started.Elapsed.TotalSeconds:0.0} s ({items} items on a throwaway node, {emulator.Stats(customer).RateLimited} answered 429)");
    }

    private static async Task DelayUntilAsync(Stopwatch clock, TimeSpan at, CancellationToken cancellationToken)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <param name="Unfinished">Empty when the customer drained; else what the cap left.</param>
    /// <param name="BeforeFirstCall">The last sample before the customer's first call, where its traces start.</param>
    private sealed record DrainRate(long Accepted, double Seconds, double Allowed, double Ratio, string Unfinished, double? FirstCall, double? FirstPushback, double? BeforeFirstCall);

    /// <summary>The estimates a controller took from its pushbacks, for a note.</summary>
    private static string Learned(IReadOnlyList<ControllerEvent> pushbacks) => pushbacks.Count == 0
        ? "no pushback"
        : "rate at each pushback -> limit learned: " + string.Join(", ", pushbacks.Take(12).Select(e => $"{e.At:0.0} s {e.Rate:0.0}->{(e.Learned is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "-")}"))
            + (pushbacks.Count > 12 ? $", ... ({pushbacks.Count - 12} more)" : "");

    private static string Seconds(double? seconds) => seconds is { } s ? $"{s:0.0} s" : "never";

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>
    /// Seconds from <paramref name="changeAt"/> until the limit the controller learned lies within 10 % of
    /// <paramref name="newLimit"/> and stays there until <paramref name="until"/>; null when it never does. This is how
    /// the controller follows the limit: the throughput band beside it also counts the probes a controller makes for a
    /// limit it remembers from before a drop (each a 429 and a second's pause), which are how it finds a limit that
    /// comes back within seconds.
    /// </summary>
    private static double? LimitTrackedAfter(IReadOnlyList<ControllerEvent> events, double changeAt, double until, double newLimit)
    {
        static bool Near(double? learned, double limit) => learned is { } l && l >= 0.9 * limit && l <= 1.1 * limit;
        var learned = events.LastOrDefault(e => e.At <= changeAt && e.Learned is not null)?.Learned;
        double? since = Near(learned, newLimit) ? changeAt : null;
        foreach (var e in events.Where(e => e.At > changeAt && e.At < until && e.Learned is not null))
        {
            since = Near(e.Learned, newLimit) ? since ?? e.At : null;
        }

        return since - changeAt;
    }

    /// <summary>
    /// A pushback (<c>429</c>), a resume from a journaled limit (<c>resume</c>), or a limit remembered from before a drop
    /// taken back without one (<c>regain</c>), as a controller saw it.
    /// </summary>
    /// <param name="At">Seconds since the scenario's start.</param>
    /// <param name="Rate">The rate in force just before the pushback; the rate after it, on a resume.</param>
    /// <param name="Learned">The limit the controller holds to after the event.</param>
    private sealed record ControllerEvent(double At, string What, double Rate, double? Learned);

    /// <summary>
    /// Wraps every customer's rate controller to record what it did, for the notes: the throttle calls it under its
    /// lock, so the wrapper adds nothing to the rate it sets.
    /// </summary>
    private sealed class ControllerLog(Stopwatch clock)
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<ControllerEvent>> _events = new(StringComparer.Ordinal);

        public IRateController Wrap(string customer, IRateController inner) => new Recorded(inner, _events.GetOrAdd(customer, _ => new()), clock);

        public IReadOnlyList<ControllerEvent> Events(string customer) => _events.TryGetValue(customer, out var events) ? [.. events] : [];

        private sealed class Recorded(IRateController inner, ConcurrentQueue<ControllerEvent> events, Stopwatch clock) : IRateController
        {
            public double? LearnedLimit => inner.LearnedLimit;

            public double RateAt(DateTimeOffset now) => inner.RateAt(now);

            public void Accepted(DateTimeOffset now)
            {
                var before = inner.LearnedLimit;
                inner.Accepted(now);
                if (inner.LearnedLimit != before)
                {
                    events.Enqueue(new(clock.Elapsed.TotalSeconds, "regain", inner.RateAt(now), inner.LearnedLimit)); // a remembered limit taken back
                }
            }

            public void RateLimited(DateTimeOffset now, DateTimeOffset resumeAt)
            {
                var rate = inner.RateAt(now);
                inner.RateLimited(now, resumeAt);
                events.Enqueue(new(clock.Elapsed.TotalSeconds, "429", rate, inner.LearnedLimit));
            }

            public void Apply(ThrottleLimits limits, DateTimeOffset now) => inner.Apply(limits, now);

            public void ResumeAt(double learnedLimit, DateTimeOffset now)
            {
                inner.ResumeAt(learnedLimit, now);
                events.Enqueue(new(clock.Elapsed.TotalSeconds, "resume", inner.RateAt(now), learnedLimit));
            }
        }
    }

    /// <summary>How a customer followed one change of its limit (see <see cref="DiscoveryAsync"/>).</summary>
    /// <param name="Settled">Seconds from the change until the trailing 2 s window stayed in the band for the rest of the 25 s after the change (or the span, when shorter); null: not in the band at its end.</param>
    /// <param name="HeldFiveSeconds">Seconds from the change until the window first stayed in the band for 5 s.</param>
    /// <param name="InBandShare">The share of the span's windows in the band.</param>
    private sealed record Tracked(double? Settled, double? HeldFiveSeconds, double InBandShare, long Accepted, long Attempted);

    /// <summary>Every account's counters every 25 ms and every customer's throttle rate every 100 ms, against the scenario's clock.</summary>
    private sealed class DiscoverySampler(DropboxEmulator emulator, IReadOnlyList<string> accounts, IReadOnlyList<BenchHost> hosts, Stopwatch clock)
    {
        private const double Window = 2;
        private const double Step = 0.1;

        /// <summary>How long after a change "stays in the band" is judged: short of the time a settled controller holds before it probes again.</summary>
        public const double SettleHorizon = 25;
        private readonly Dictionary<string, List<(double At, long Requests, long RateLimited)>> _counts =
            accounts.ToDictionary(a => a, _ => new List<(double, long, long)>(), StringComparer.Ordinal);
        private readonly Dictionary<string, List<(double At, double? Rate)>> _rates =
            accounts.ToDictionary(a => a, _ => new List<(double, double?)>(), StringComparer.Ordinal);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var tick = 0;
            try
            {
                while (true)
                {
                    var at = clock.Elapsed.TotalSeconds;
                    foreach (var account in accounts)
                    {
                        var stats = emulator.Stats(account);
                        _counts[account].Add((at, stats.Requests, stats.RateLimited));
                    }

                    if (tick++ % 4 == 0)
                    {
                        foreach (var a in hosts.SelectMany(h => h.Node.Activity()))
                        {
                            if (_rates.TryGetValue(a.Customer.Value, out var rates))
                            {
                                rates.Add((at, a.CurrentRate));
                            }
                        }
                    }

                    await Task.Delay(25, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // sampled until the scenario was over
            }
        }

        /// <summary>Calls made and answered 429 by <paramref name="at"/> (the last sample at or before it).</summary>
        private (long Requests, long RateLimited) CountsAt(string account, double at)
        {
            var samples = _counts[account];
            var (lo, hi) = (0, samples.Count - 1);
            var found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (samples[mid].At <= at)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return found < 0 ? (0, 0) : (samples[found].Requests, samples[found].RateLimited);
        }

        private double? RateAt(string customer, double at) => _rates[customer].LastOrDefault(r => r.At <= at).Rate;

        /// <summary>
        /// Calls Dropbox admitted (accepted) from the customer's first call until it had <paramref name="expected"/>, or
        /// until <paramref name="cap"/>, against its bucket's bound L·T + burst. Both ends are samples, so each is up to
        /// 25 ms late: over a drain of a minute or more, a few parts in a thousand at most, and mostly cancelling.
        /// </summary>
        public DrainRate Drain(string account, long expected, double cap)
        {
            var samples = _counts[account];
            var first = samples.FindIndex(s => s.Requests > 0);
            if (first < 0)
            {
                return new(0, 0, DiscoveryBurst, 0, " (no call made)", null, null, null);
            }

            var pushback = samples.FindIndex(s => s.RateLimited > 0);
            var done = samples.FindIndex(s => s.Requests - s.RateLimited >= expected);
            var drained = done >= 0 && samples[done].At <= cap;
            var end = drained ? samples[done].At : cap;
            var (requests, limited) = CountsAt(account, end);
            var accepted = drained ? expected : requests - limited;
            var seconds = end - samples[first].At;
            var allowed = (DiscoveryLimit * seconds) + DiscoveryBurst;
            return new(
                accepted, seconds, allowed, accepted / allowed, drained ? "" : $" (still draining at the {cap:0} s cap: measured up to it)",
                samples[first].At, pushback < 0 ? null : samples[pushback].At, first == 0 ? samples[0].At : samples[first - 1].At);
        }

        /// <summary>See <see cref="Tracked"/>: in the band = accepted ≥ 0.9 × the new limit and attempted ≤ 1.1 × it, over a trailing 2 s window.</summary>
        public Tracked Tracking(string account, double changeAt, double until, double newLimit)
        {
            var points = new List<(double At, bool InBand)>();
            for (var t = changeAt; t <= until + 1e-9; t += Step)
            {
                var (requests, limited) = CountsAt(account, t);
                var (requestsBefore, limitedBefore) = CountsAt(account, t - Window);
                var attempted = (requests - requestsBefore) / Window;
                var accepted = (requests - limited - (requestsBefore - limitedBefore)) / Window;
                points.Add((t, accepted >= 0.9 * newLimit && attempted <= 1.1 * newLimit));
            }

            // Settled: in the band from some point on, up to the horizon (or the span's end when sooner).
            var horizon = points.FindLastIndex(p => p.At <= changeAt + SettleHorizon + 1e-9);
            double? settled = null;
            if (horizon >= 0 && points[horizon].InBand)
            {
                var firstOfLastRun = horizon;
                while (firstOfLastRun > 0 && points[firstOfLastRun - 1].InBand)
                {
                    firstOfLastRun--;
                }

                settled = points[firstOfLastRun].At - changeAt;
            }

            double? held = null;
            var holdSteps = (int)Math.Round(5 / Step);
            for (int i = 0, run = 0; i < points.Count && held is null; i++)
            {
                run = points[i].InBand ? run + 1 : 0;
                if (run > holdSteps)
                {
                    held = points[i - holdSteps].At - changeAt;
                }
            }

            var (r0, l0) = CountsAt(account, changeAt);
            var (r1, l1) = CountsAt(account, until);
            return new(settled, held, points.Count == 0 ? 0 : (double)points.Count(p => p.InBand) / points.Count, r1 - l1 - (r0 - l0), r1 - r0);
        }

        /// <summary>Per <paramref name="every"/> seconds from <paramref name="from"/>: calls accepted / answered 429 (the throttle's rate at the end; ! marks a pushback it learned from).</summary>
        public string PerSecond(string account, double from, double to, ControllerLog log, double every = 1, bool rates = true)
        {
            var pushbacks = log.Events(account).Where(e => e.What == "429").Select(e => e.At).ToList();
            var parts = new List<string>();
            for (var t = from; t + every <= to + 1e-9; t += every)
            {
                var (r0, l0) = CountsAt(account, t);
                var (r1, l1) = CountsAt(account, t + every);
                var rate = RateAt(account, t + every);
                var mark = pushbacks.Any(p => p >= t && p < t + every) ? "!" : "";
                parts.Add($"{r1 - l1 - (r0 - l0)}/{l1 - l0}{mark}" + (rates ? $"({(rate is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "-")})" : ""));
            }

            return string.Join(' ', parts);
        }
    }
}
