using System.Diagnostics;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Dropbox.Emulator;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- 3. isolation ----

    /// <summary>
    /// 18 healthy customers alone, then the same 18 beside one whose every upload is answered 429 and one whose uploads
    /// hang for 30 s: the healthy customers' throughput in the second run as a ratio of the first.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> IsolationAsync(CancellationToken cancellationToken)
    {
        const string scenario = "isolation";
        const int healthy = 18;
        const double rate = 20;
        var perCustomer = quick ? 100 : 300;
        Console.WriteLine($"[{scenario}] {healthy} customers x {perCustomer} items at {rate}/s each, alone and then beside one always-429 and one hanging (30 s) customer");

        var alone = await HealthyThroughputAsync(healthy, perCustomer, rate, troublemakers: false, cancellationToken);
        var beside = await HealthyThroughputAsync(healthy, perCustomer, rate, troublemakers: true, cancellationToken);
        var note = $"alone {alone.ItemsPerSecond:0.0} items/s ({alone.Seconds:0.0} s); beside the two troubled customers {beside.ItemsPerSecond:0.0} items/s ({beside.Seconds:0.0} s); " +
            $"meanwhile the always-429 customer met {beside.RateLimited} 429s and the hanging one archived {beside.HangingArchived} items";
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            new(scenario, "healthy throughput beside trouble / alone", beside.ItemsPerSecond / alone.ItemsPerSecond, "x", Goal.AtLeast(0.95, "x"), IsRatio: true, Note: note),
        ];
    }

    private readonly record struct HealthyRun(double ItemsPerSecond, double Seconds, long RateLimited, long HangingArchived);

    private static async Task<HealthyRun> HealthyThroughputAsync(int healthy, int perCustomer, double rate, bool troublemakers, CancellationToken cancellationToken)
    {
        const string limited = "always429";
        const string hanging = "hanging";
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        await using var host = new BenchHost(
            emulator.BaseUri,
            new PipelineOptions { RatePerSecond = rate, Burst = 5, Parallelism = 4 },
            wrapTarget: target => new HangingTarget(target, new CustomerId(hanging), TimeSpan.FromSeconds(30)));
        await host.MigrateAsync(cancellationToken);
        var names = Enumerable.Range(0, healthy).Select(i => $"healthy{i:D2}").ToList();
        foreach (var name in names)
        {
            emulator.AddAccount(name, BenchHost.TokenOf(name), new AccountLimits(rate, 5));
            await host.AddCustomerAsync(name, CustomerTuning.Default, cancellationToken);
            await EnqueueAsync(host, name, perCustomer, 1024, cancellationToken);
        }

        if (troublemakers)
        {
            emulator.AddAccount(limited, BenchHost.TokenOf(limited), new AccountLimits(RejectAllWrites: true, RetryAfter: TimeSpan.FromSeconds(1)));
            emulator.AddAccount(hanging, BenchHost.TokenOf(hanging), AccountLimits.Unlimited);
            foreach (var name in new[] { limited, hanging })
            {
                await host.AddCustomerAsync(name, CustomerTuning.Default, cancellationToken);
                await EnqueueAsync(host, name, perCustomer, 1024, cancellationToken);
            }
        }

        var stopwatch = Stopwatch.StartNew();
        await host.StartAsync(cancellationToken);
        var expected = (long)healthy * perCustomer;
        while (true)
        {
            var progress = await host.Store.GetProgressAsync(null, cancellationToken);
            if (progress.Where(p => p.Customer.Value.StartsWith("healthy", StringComparison.Ordinal)).Sum(p => p.Archived) >= expected)
            {
                break;
            }

            if (stopwatch.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"the healthy customers did not finish within 3 minutes ({(troublemakers ? "beside" : "alone")})");
            }

            await Task.Delay(20, cancellationToken);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var rateLimited = troublemakers ? emulator.Stats(limited).RateLimited : 0;
        var hangingArchived = (await host.Store.GetProgressAsync(new CustomerId(hanging), cancellationToken)).Sum(p => p.Archived);
        await host.StopAsync();
        return new HealthyRun(expected / seconds, seconds, rateLimited, hangingArchived);
    }
}
