using System.Diagnostics;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Dropbox.Emulator;
using Archiver.Testing.Postgres;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- 4. overhead ----

    private const int OverheadCustomers = 100;
    private const int OverheadItemSize = 64;
    private const int Rounds = 3;

    /// <summary>Each overhead customer's tuning: no rate limit to speak of, 8 uploads at once.</summary>
    private static readonly CustomerTuning OverheadTuning = new(10_000, 1_000, 8);

    /// <summary>
    /// Tiny items to an unlimited emulator: how close the node comes to the lower of its parts' ceilings
    /// (<see cref="Ceilings"/>), on SQLite and on PostgreSQL. After a warm-up, each round measures the node, the store
    /// alone and the emulator alone, each on fresh data; the figure is the median of the rounds' ratios.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> OverheadAsync(CancellationToken cancellationToken)
    {
        var figures = new List<Figure>();
        figures.AddRange(await OverheadOnAsync("SQLite", _ => Task.FromResult(RunDatabase.Sqlite), goal: 0.7, cancellationToken));
        figures.AddRange(await OverheadOnAsync("PostgreSQL", RunDatabase.PostgresAsync, goal: 0.6, cancellationToken));
        return figures;
    }

    private async Task<IReadOnlyList<Figure>> OverheadOnAsync(
        string storeName, Func<CancellationToken, Task<RunDatabase>> freshDatabase, double goal, CancellationToken cancellationToken)
    {
        const string scenario = "overhead";
        var n = quick ? 20_000 : 100_000;
        var concurrency = Math.Min(OverheadCustomers * OverheadTuning.Parallelism!.Value, new NodeOptions().MaxUploads); // uploads the node has in flight at most
        var pageSize = OverheadTuning.Parallelism.Value * new PipelineOptions().BufferPerWorker; // a stream's capacity: what it claims and checkpoints at most
        Console.WriteLine($"[{scenario}] {storeName}: {n} items of {OverheadItemSize} bytes across {OverheadCustomers} customers, unlimited Dropbox; " +
            $"a warm-up, then {Rounds} rounds of: the node; the store alone (pages of {pageSize}); the emulator alone ({concurrency} uploads at once)");
        // A warm-up of each of the three (JIT, connection pools, PostgreSQL's caches), so that the first round is measured
        // as warm as the others. The node's is a whole round: the runtime is still recompiling its hot paths after a fifth.
        await NodeThroughputAsync(freshDatabase, n, cancellationToken);
        await StoreCeilingAsync(freshDatabase, n / 5, pageSize, cancellationToken);
        await EmulatorCeilingAsync(n / 5, concurrency, cancellationToken);

        List<double> node = [], store = [], emulator = [], ratios = [], shared = [], cpu = [];
        for (var round = 1; round <= Rounds; round++)
        {
            var run = await NodeThroughputAsync(freshDatabase, n, cancellationToken);
            store.Add(await StoreCeilingAsync(freshDatabase, n, pageSize, cancellationToken));
            emulator.Add(await EmulatorCeilingAsync(n, concurrency, cancellationToken));
            node.Add(run.ItemsPerSecond);
            cpu.Add(run.CpuMsPerItem);
            ratios.Add(run.ItemsPerSecond / Math.Min(store[^1], emulator[^1]));
            shared.Add(run.ItemsPerSecond * ((1 / store[^1]) + (1 / emulator[^1]))); // both parts' work on the same cores, one after the other
            Console.WriteLine($"[{scenario}] {storeName} round {round}: node {run.ItemsPerSecond:0} items/s{(run.Done ? "" : " (NOT drained)")} " +
                $"({run.ItemsPerRoundTrip.PerClaim:0.0} items per claim, {run.ItemsPerRoundTrip.PerCheckpoint:0.0} per customer's checkpoint, {run.ItemsPerRoundTrip.PerWrite:0.0} per checkpoint write), " +
                $"store alone {store[^1]:0}, emulator alone {emulator[^1]:0}: {ratios[^1]:0.000}");
        }

        var note = $"{storeName}: node ÷ the lower of the store's and the emulator's ceilings, each round on fresh data; every rate is timed from " +
            "a tenth of the items done to nine tenths (the node's by its own counters); the node's process also runs the emulator" +
            (storeName == "SQLite" ? "" : ", and PostgreSQL runs on the same cores");
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            Figure.Median(scenario, $"node ÷ min(store, emulator), {storeName}", ratios, "x", Goal.AtLeast(goal, "x"), isRatio: true, note: note),
            Figure.Median(scenario, $"node ÷ both parts on shared cores, {storeName}", shared, "x", null, isRatio: true, note: SharedCoresNote),
            Figure.Median(scenario, $"node, {storeName}", node, "items/s", null),
            Figure.Median(scenario, $"store alone (claim + checkpoint), {storeName}", store, "items/s", null),
            Figure.Median(scenario, $"emulator alone (files/upload), {storeName} rounds", emulator, "items/s", null),
            Figure.Median(scenario, $"CPU ms per item, {storeName} (node + emulator)", cpu, "ms", null),
        ];
    }

    private const string SharedCoresNote =
        "the store, the emulator and the node share this machine's cores, so a node that added nothing to its parts' own work would reach " +
        "1 / (1 / store + 1 / emulator), not the lower of the two: this figure divides by that";

    private readonly record struct NodeThroughput(double ItemsPerSecond, double CpuMsPerItem, bool Done, (double PerClaim, double PerCheckpoint, double PerWrite) ItemsPerRoundTrip);

    /// <summary>The node drains <paramref name="n"/> items of <see cref="OverheadCustomers"/> customers on fresh data.</summary>
    private async Task<NodeThroughput> NodeThroughputAsync(Func<CancellationToken, Task<RunDatabase>> freshDatabase, int n, CancellationToken cancellationToken)
    {
        await using var database = await freshDatabase(cancellationToken);
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        RoundTripCounter? counter = null;
        await using var host = database.Host(emulator.BaseUri, store => counter = new RoundTripCounter(store));
        await host.MigrateAsync(cancellationToken);
        await AddUnlimitedCustomersAsync(emulator, host, OverheadCustomers, n / OverheadCustomers, cancellationToken);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await host.StartAsync(cancellationToken);
        var window = new SteadyWindow(n);
        var cap = Stopwatch.StartNew();
        while (!window.Closed && cap.Elapsed < TimeSpan.FromSeconds(quick ? 90 : 180))
        {
            await Task.Delay(5, cancellationToken);
            window.Observe(host.Node.ArchivedCount()); // the counters alone: a status snapshot of every customer would cost the node CPU
        }

        var drained = await WaitDrainedAsync(host.Store, n, TimeSpan.FromSeconds(30), cancellationToken, pollMs: 20, hosts: [host]);
        var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await host.StopAsync();
        return new NodeThroughput(window.ItemsPerSecond, cpuUsed * 1000 / Math.Max(1, drained.Archived), drained.Done, counter!.ItemsPerRoundTrip);
    }

    /// <summary>The store alone (<see cref="Ceilings.StoreItemsPerSecondAsync"/>) over the same items, on fresh data.</summary>
    private static async Task<double> StoreCeilingAsync(Func<CancellationToken, Task<RunDatabase>> freshDatabase, int n, int pageSize, CancellationToken cancellationToken)
    {
        await using var database = await freshDatabase(cancellationToken);
        await using var host = database.Host(new Uri("http://127.0.0.1:9/")); // no call reaches Dropbox
        await host.MigrateAsync(cancellationToken);
        var customers = new List<CustomerId>();
        for (var c = 0; c < OverheadCustomers; c++)
        {
            var id = $"c{c:D3}";
            await host.AddCustomerAsync(id, OverheadTuning, cancellationToken);
            await EnqueueAsync(host, id, n / OverheadCustomers, OverheadItemSize, cancellationToken);
            customers.Add(new CustomerId(id));
        }

        return await Ceilings.StoreItemsPerSecondAsync(host.Store, customers, n, pageSize, cancellationToken);
    }

    /// <summary>The emulator alone (<see cref="Ceilings.EmulatorItemsPerSecondAsync"/>) with the same accounts and items.</summary>
    private static async Task<double> EmulatorCeilingAsync(int n, int concurrency, CancellationToken cancellationToken)
    {
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        var customers = Enumerable.Range(0, OverheadCustomers).Select(c => $"c{c:D3}").ToList();
        foreach (var id in customers)
        {
            emulator.AddAccount(id, BenchHost.TokenOf(id), AccountLimits.Unlimited);
        }

        return await Ceilings.EmulatorItemsPerSecondAsync(emulator.BaseUri, customers, n, OverheadItemSize, concurrency, cancellationToken);
    }

    // ---- cluster: one node vs three on one PostgreSQL ----

    /// <summary>
    /// The same workload drained by one node and by three nodes (in this process) sharing one PostgreSQL, in
    /// <see cref="Rounds"/> rounds of one then three; the figure is the median of the rounds' ratios.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> ClusterAsync(CancellationToken cancellationToken)
    {
        const string scenario = "cluster";
        List<double> one = [], three = [], ratios = [];
        for (var round = 1; round <= Rounds; round++)
        {
            one.Add(await ClusterThroughputAsync(1, cancellationToken));
            three.Add(await ClusterThroughputAsync(3, cancellationToken));
            ratios.Add(three[^1] / one[^1]);
            Console.WriteLine($"[{scenario}] round {round}: one node {one[^1]:0} items/s, three nodes {three[^1]:0} items/s: {ratios[^1]:0.000}");
        }

        var note = $"all nodes, PostgreSQL and the emulator share this machine's {Environment.ProcessorCount} cores, so the figure shows what coordination costs, not what more machines buy";
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            Figure.Median(scenario, "items/s, three nodes ÷ one node", ratios, "x", null, isRatio: true, note: note),
            Figure.Median(scenario, "items/s, one node (PostgreSQL)", one, "items/s", null),
            Figure.Median(scenario, "items/s, three nodes (PostgreSQL)", three, "items/s", null),
        ];
    }

    private async Task<double> ClusterThroughputAsync(int nodes, CancellationToken cancellationToken)
    {
        const int customers = 30;
        var n = quick ? 15_000 : 60_000;
        await using var database = await PostgresDatabase.CreateAsync("cluster", cancellationToken);
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        var hosts = new List<BenchHost>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                hosts.Add(new BenchHost(
                    emulator.BaseUri,
                    new PipelineOptions(),
                    new NodeOptions { NodeId = $"bench-{i + 1}" },
                    store: RunDatabase.PostgresStore(database.ConnectionString),
                    persistenceConnectionString: database.ConnectionString));
            }

            await hosts[0].MigrateAsync(cancellationToken);
            await AddUnlimitedCustomersAsync(emulator, hosts[0], customers, n / customers, cancellationToken);
            Console.WriteLine($"[cluster] {nodes} node(s): {n} items of 64 bytes across {customers} customers on one PostgreSQL");
            var stopwatch = Stopwatch.StartNew();
            foreach (var host in hosts)
            {
                await host.StartAsync(cancellationToken);
            }

            var drained = await WaitDrainedAsync(hosts[0].Store, n, TimeSpan.FromSeconds(quick ? 90 : 180), cancellationToken, pollMs: 20, hosts: hosts);
            return drained.Archived / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task AddUnlimitedCustomersAsync(DropboxEmulator emulator, BenchHost host, int customers, int perCustomer, CancellationToken cancellationToken)
    {
        for (var c = 0; c < customers; c++)
        {
            var id = $"c{c:D3}";
            emulator.AddAccount(id, BenchHost.TokenOf(id), AccountLimits.Unlimited);
            await host.AddCustomerAsync(id, OverheadTuning, cancellationToken);
            await EnqueueAsync(host, id, perCustomer, OverheadItemSize, cancellationToken);
        }
    }
}
