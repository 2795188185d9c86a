using System.Diagnostics;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Dropbox.Emulator;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- 6. backlog memory ----

    /// <summary>
    /// Peak RSS while draining a backlog and a ten times larger one for the same time at the same pace (10 customers at
    /// 200 items/s each, so neither runs dry): the pipeline claims only what its workers ask for, so the figure must not
    /// grow with the backlog. Each run has a process of its own: what enqueueing a million items leaves in this
    /// process's memory is not the pipeline's. Then what the pruner costs the drain of the larger backlog
    /// (<see cref="PrunerCostAsync"/>).
    /// </summary>
    private async Task<IReadOnlyList<Figure>> BacklogAsync(CancellationToken cancellationToken)
    {
        const string scenario = "backlog";
        var small = quick ? 50_000 : 100_000;
        var large = small * 10;
        var window = TimeSpan.FromSeconds(quick ? 10 : 20);
        Console.WriteLine($"[{scenario}] peak RSS while draining {small:N0} and then {large:N0} pending items, {window.TotalSeconds:0} s each, 10 customers at 200 items/s each");

        var smallRun = await DrainBacklogInChildAsync(small, window, cancellationToken);
        var largeRun = await DrainBacklogInChildAsync(large, window, cancellationToken);
        var note = $"{small:N0} pending: peak {smallRun.PeakMb:0} MB (baseline {smallRun.BaselineMb:0} MB, {smallRun.Archived:N0} archived in the window); " +
            $"{large:N0} pending: peak {largeRun.PeakMb:0} MB (baseline {largeRun.BaselineMb:0} MB, {largeRun.Archived:N0} archived)";
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            new(scenario, $"peak RSS draining {large / 1000:N0}k / {small / 1000:N0}k", largeRun.PeakMb / smallRun.PeakMb, "x", Goal.AtMost(1.1, "x"), IsRatio: true, Note: note),
            new(scenario, $"peak RSS draining {large / 1000:N0}k", largeRun.PeakMb, "MB", null),
            .. await PrunerCostAsync(large, window, cancellationToken),
        ];
    }

    private readonly record struct BacklogRun(double BaselineMb, double PeakMb, long Archived);

    /// <summary>Runs <see cref="DrainBacklogAsync"/> in a new process of this program (see <see cref="ChildMeasurement"/>).</summary>
    private static Task<BacklogRun> DrainBacklogInChildAsync(int items, TimeSpan window, CancellationToken cancellationToken) =>
        ChildMeasurement.RunAsync<BacklogRun>(BacklogMeasurement, [Invariant(items), Invariant(window.TotalSeconds)], cancellationToken);

    /// <summary>One drain; runs in a process of its own (see <see cref="DrainBacklogInChildAsync"/>).</summary>
    private static async Task<BacklogRun> DrainBacklogAsync(int items, TimeSpan window, CancellationToken cancellationToken)
    {
        const int customers = 10;
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        await using var host = new BenchHost(emulator.BaseUri, new PipelineOptions());
        await host.MigrateAsync(cancellationToken);
        for (var c = 0; c < customers; c++)
        {
            var id = $"b{c:D2}";
            emulator.AddAccount(id, BenchHost.TokenOf(id), AccountLimits.Unlimited);
            await host.AddCustomerAsync(id, new CustomerTuning(200, 50, 8), cancellationToken);
            await EnqueueAsync(host, id, items / customers, 64, cancellationToken);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        await host.StartAsync(cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < window)
        {
            await Task.Delay(100, cancellationToken);
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
        }

        var archived = (await host.Store.GetProgressAsync(null, cancellationToken)).Sum(p => p.Archived);
        await host.StopAsync();
        return new BacklogRun(baseline / 1048576.0, peak / 1048576.0, archived);
    }
}
