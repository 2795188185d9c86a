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
    /// hang for 30 s: the healthy customers' throughput in the second run as a ratio of the first, in
    /// <see cref="Rounds"/> rounds; the figure is the median of the rounds' ratios.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> IsolationAsync(CancellationToken cancellationToken)
    {
        const string scenario = "isolation";
        const int healthy = 18;
        const double rate = 20;
        var perCustomer = quick ? 100 : 300;
        Console.WriteLine($"[{scenario}] {healthy} customers x {perCustomer} items at {rate}/s each, alone and then beside one always-429 and one hanging (30 s) customer");

        List<double> ratios = [], alone = [], beside = [];
        for (var round = 1; round <= Rounds; round++)
        {
            var aloneRun = await HealthyThroughputAsync(healthy, perCustomer, rate, troublemakers: false, cancellationToken);
            var besideRun = await HealthyThroughputAsync(healthy, perCustomer, rate, troublemakers: true, cancellationToken);
            alone.Add(aloneRun.ItemsPerSecond);
            beside.Add(besideRun.ItemsPerSecond);
            ratios.Add(besideRun.ItemsPerSecond / aloneRun.ItemsPerSecond);
            Console.WriteLine($"[{scenario}] round {round}: alone {aloneRun.ItemsPerSecond:0.0} items/s ({aloneRun.Seconds:0.0} s); beside the two troubled customers " +
                $"{besideRun.ItemsPerSecond:0.0} items/s ({besideRun.Seconds:0.0} s), meanwhile the always-429 customer met {besideRun.RateLimited} 429s " +
                $"and the hanging one archived {besideRun.HangingArchived} items: {ratios[^1]:0.000}");
        }

        var note = $"{Rounds} rounds of: the healthy customers alone, then beside the always-429 and the hanging customer; every round on fresh data";
        return
        [
            Figure.Median(scenario, "healthy throughput beside trouble / alone", ratios, "x", Goal.AtLeast(0.95, "x"), isRatio: true, note: note),
            Figure.Median(scenario, "healthy items/s, alone", alone, "items/s", null),
            Figure.Median(scenario, "healthy items/s, beside trouble", beside, "items/s", null),
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
