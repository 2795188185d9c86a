using System.Diagnostics;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Storage.Postgres;
using Archiver.Testing.Postgres;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- 4. overhead ----

    /// <summary>Tiny items to an unlimited emulator: what the node itself costs per item, on SQLite and on PostgreSQL.</summary>
    private async Task<IReadOnlyList<Figure>> OverheadAsync(CancellationToken cancellationToken)
    {
        var figures = new List<Figure>();
        figures.AddRange(await OverheadOnAsync("SQLite", store: null, persistence: null, goal: 5_000, cancellationToken));
        await using var database = await PostgresDatabase.CreateAsync("bench", cancellationToken);
        figures.AddRange(await OverheadOnAsync(
            "PostgreSQL", PostgresStore(database.ConnectionString), database.ConnectionString, goal: 3_000, cancellationToken));
        return figures;
    }

    private async Task<IReadOnlyList<Figure>> OverheadOnAsync(
        string storeName, Func<WorkSignal, ITokenProtector, IArchiveStore>? store, string? persistence, double goal, CancellationToken cancellationToken)
    {
        const string scenario = "overhead";
        const int customers = 100;
        var n = quick ? 20_000 : 100_000;
        var cap = TimeSpan.FromSeconds(quick ? 90 : 180);
        Console.WriteLine($"[{scenario}] {storeName}: {n} items of 64 bytes across {customers} customers, unlimited Dropbox; capped at {cap.TotalSeconds:0} s");
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        await using var host = new BenchHost(emulator.BaseUri, new PipelineOptions(), store: store, persistenceConnectionString: persistence);
        await host.MigrateAsync(cancellationToken);
        await AddUnlimitedCustomersAsync(emulator, host, customers, n / customers, cancellationToken);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await host.StartAsync(cancellationToken);
        var drained = await WaitDrainedAsync(host.Store, n, cap, cancellationToken, pollMs: 20, hosts: [host]);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await host.StopAsync();
        var note = $"{storeName}: {drained.Archived} of {n} archived in {elapsed:0.0} s{(drained.Done ? "" : " (timed out)")}; " +
            $"process CPU {cpuUsed / elapsed / Environment.ProcessorCount * 100:0}% of {Environment.ProcessorCount} cores, emulator included" +
            (store is null ? "" : "; PostgreSQL runs on the same 2 cores");
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            new(scenario, $"items archived per second, {storeName}", drained.Archived / elapsed, "items/s", Goal.AtLeast(goal, "items/s"), Note: note),
            new(scenario, $"CPU ms per item, {storeName} (node + emulator)", cpuUsed * 1000 / Math.Max(1, drained.Archived), "ms", null),
        ];
    }

    // ---- cluster: one node vs three on one PostgreSQL ----

    /// <summary>The same workload drained by one node and by three nodes (in this process) sharing one PostgreSQL.</summary>
    private async Task<IReadOnlyList<Figure>> ClusterAsync(CancellationToken cancellationToken)
    {
        const string scenario = "cluster";
        var one = await ClusterThroughputAsync(1, cancellationToken);
        var three = await ClusterThroughputAsync(3, cancellationToken);
        var note = $"one node {one:0} items/s, three nodes {three:0} items/s; all nodes, PostgreSQL and the emulator share this machine's {Environment.ProcessorCount} cores, " +
            "so the figure shows what coordination costs, not what more machines buy";
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            new(scenario, "items/s, one node (PostgreSQL)", one, "items/s", null, Note: note),
            new(scenario, "items/s, three nodes / one node", three / one, "x", null, IsRatio: true),
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
                    store: PostgresStore(database.ConnectionString),
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

    private static Func<WorkSignal, ITokenProtector, IArchiveStore> PostgresStore(string connectionString) =>
        (signal, tokens) => new PostgresArchiveStore(new PostgresStoreOptions { ConnectionString = connectionString }, tokens, signal, TimeProvider.System);

    private static async Task AddUnlimitedCustomersAsync(DropboxEmulator emulator, BenchHost host, int customers, int perCustomer, CancellationToken cancellationToken)
    {
        for (var c = 0; c < customers; c++)
        {
            var id = $"c{c:D3}";
            emulator.AddAccount(id, BenchHost.TokenOf(id), AccountLimits.Unlimited);
            await host.AddCustomerAsync(id, new CustomerTuning(10_000, 1_000, 8), cancellationToken);
            await EnqueueAsync(host, id, perCustomer, 64, cancellationToken);
        }
    }
}
