using System.Diagnostics;
using Archiver.Core.Retention;
using Archiver.Dropbox.Emulator;
using Archiver.Storage.Sqlite;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- backlog, continued: what the pruner costs a drain ----

    /// <summary>
    /// The pruner at its busiest: it keeps archived items for one second and runs every second, so there is always
    /// something to delete beside the drain, and it deletes with the default batches and pause between them.
    /// </summary>
    private static readonly RetentionOptions BusiestPruner = new()
    {
        ArchivedItems = TimeSpan.FromSeconds(1),
        Events = TimeSpan.FromSeconds(1),
        FailureEvents = TimeSpan.FromSeconds(1),
        Interval = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// Throughput draining a backlog of <paramref name="backlog"/> items on SQLite (the customers of the overhead
    /// scenario, unlimited Dropbox, so the node and not Dropbox sets the pace), with the pruner off and with it at its
    /// busiest (<see cref="BusiestPruner"/>), after a warm-up, alternating off, on, on, off, off, on so drift over the run cancels. Every
    /// run starts from a copy of one database holding the backlog. Throughput is counted from the node's first archived
    /// item for <paramref name="window"/>, from the node's own counters: the store's would shrink as the pruner works.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> PrunerCostAsync(int backlog, TimeSpan window, CancellationToken cancellationToken)
    {
        const string scenario = "backlog";
        Console.WriteLine($"[{scenario}] throughput draining {backlog:N0} pending items ({OverheadCustomers} customers, unlimited Dropbox) for {window.TotalSeconds:0} s, " +
            "without the pruner and with it removing archived items a second after their archiving, alternately");
        var template = Path.Combine(Path.GetTempPath(), $"archiver-bench-backlog-{Guid.NewGuid():N}");
        Directory.CreateDirectory(template);
        try
        {
            var database = Path.Combine(template, "archiver.db");
            await CreateBacklogAsync(database, backlog, cancellationToken);
            await DrainCopyAsync(database, retention: null, window / 2, cancellationToken); // warm-up: JIT, the file in the page cache
            List<double> without = [], with = [];
            foreach (var pruning in new[] { false, true, true, false, false, true })
            {
                var run = await DrainCopyAsync(database, pruning ? BusiestPruner : null, window, cancellationToken);
                (pruning ? with : without).Add(run.ItemsPerSecond);
                Console.WriteLine($"[{scenario}] pruner {(pruning ? "on" : "off")}: {run.ItemsPerSecond:0} items/s" +
                    (pruning ? $"; it removed {run.Pruned:N0} archived items in {run.PrunerRuns} runs" : ""));
            }

            var ratios = with.Zip(without, (on, off) => on / off).ToList();
            var note = $"each pruner-on run divided by the pruner-off run of its pair (off, on | on, off | off, on); pruner on: retention of archived items 1 s, interval 1 s, batches of {BusiestPruner.BatchSize} {BusiestPruner.PauseBetweenBatches.TotalMilliseconds:0} ms apart (the default)";
            Console.WriteLine($"[{scenario}] {note}");
            return
            [
                Figure.Median(scenario, $"drain of {backlog / 1000:N0}k: items/s with the pruner ÷ without", ratios, "x", Goal.AtLeast(0.95, "x"), isRatio: true, note: note),
                Figure.Median(scenario, $"drain of {backlog / 1000:N0}k without the pruner", without, "items/s", null),
                Figure.Median(scenario, $"drain of {backlog / 1000:N0}k with the pruner", with, "items/s", null),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(template, recursive: true);
        }
    }

    /// <summary>A SQLite database at <paramref name="path"/> holding the overhead scenario's customers and a backlog of pending items.</summary>
    private static async Task CreateBacklogAsync(string path, int backlog, CancellationToken cancellationToken)
    {
        await using (var host = SqliteHost(new Uri("http://127.0.0.1:9/"), path, retention: null)) // no call reaches Dropbox
        {
            await host.MigrateAsync(cancellationToken);
            for (var c = 0; c < OverheadCustomers; c++)
            {
                var id = $"c{c:D3}";
                await host.AddCustomerAsync(id, OverheadTuning, cancellationToken);
                await EnqueueAsync(host, id, backlog / OverheadCustomers, OverheadItemSize, cancellationToken);
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the last connection's close folds the write-ahead log into the file
    }

    private readonly record struct PrunedDrain(double ItemsPerSecond, long Pruned, int PrunerRuns);

    /// <summary>Drains a copy of <paramref name="database"/> for <paramref name="window"/> after the first archived item.</summary>
    private static async Task<PrunedDrain> DrainCopyAsync(string database, RetentionOptions? retention, TimeSpan window, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"archiver-bench-drain-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var copy = Path.Combine(directory, "archiver.db");
            File.Copy(database, copy);
            await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
            for (var c = 0; c < OverheadCustomers; c++)
            {
                emulator.AddAccount($"c{c:D3}", BenchHost.TokenOf($"c{c:D3}"), AccountLimits.Unlimited);
            }

            await using var host = SqliteHost(emulator.BaseUri, copy, retention);
            await host.StartAsync(cancellationToken);
            var started = Stopwatch.StartNew();
            while (Archived(host) == 0 && started.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(5, cancellationToken);
            }

            var from = Archived(host);
            var measured = Stopwatch.StartNew();
            long pruned = 0;
            var runs = 0;
            var last = host.Node.LastRetentionRun;
            while (measured.Elapsed < window)
            {
                await Task.Delay(20, cancellationToken);
                if (host.Node.LastRetentionRun is { } run && run != last)
                {
                    pruned += run.Removed.ArchivedItems;
                    runs++;
                    last = run;
                }
            }

            var itemsPerSecond = (Archived(host) - from) / measured.Elapsed.TotalSeconds;
            await host.StopAsync();
            return new PrunedDrain(itemsPerSecond, pruned, runs);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long Archived(BenchHost host) => host.Node.ArchivedCount();

    private static BenchHost SqliteHost(Uri emulator, string path, RetentionOptions? retention) => new(
        emulator,
        new Core.Pipeline.PipelineOptions(),
        store: (signal, tokens) => new SqliteArchiveStore(new SqliteStoreOptions { DatabasePath = path }, tokens, signal, TimeProvider.System),
        retention: retention);
}
