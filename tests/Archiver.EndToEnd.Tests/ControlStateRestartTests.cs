using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Storage.Postgres;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Xunit.Abstractions;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// A customer's durable control state across a restart of its node process, recovered through Akka.Persistence.Sql:
/// a customer whose Dropbox allows far less than its configured ceiling resumes at the rate it learned from the 429s,
/// not at the ceiling, and a paused customer stays paused — even when the customers table (the read model) was set
/// back to active behind the node's back, since the journal decides and the table is corrected.
/// </summary>
public sealed partial class ControlStateRestartTests(ITestOutputHelper output) : EmulatorTest
{
    private const double Ceiling = 100;
    private const double DropboxAllows = 8;
    private const int Items = 2_000;

    private readonly string _tokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task SqliteNodeRestarted_ResumesJustBelowItsLearnedLimit_AndKeepsAPausedCustomerPaused()
    {
        var database = Path.Combine(Work, "state", "archiver.db");
        await using var store = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = database }, AesGcmTokenProtector.FromBase64(_tokenKey), new WorkSignal(), TimeProvider.System);
        await RestartKeepsControlStateAsync(store, "");
        Assert.True(File.Exists(Path.Combine(Work, "state", "akka.db")), "the journal is a SQLite file beside the store's");
    }

    [Fact]
    public async Task PostgresNodeRestarted_ResumesJustBelowItsLearnedLimit_AndKeepsAPausedCustomerPaused()
    {
        await using var database = await PostgresDatabase.CreateAsync("control");
        await using var store = new PostgresArchiveStore(
            new PostgresStoreOptions { ConnectionString = database.ConnectionString }, AesGcmTokenProtector.FromBase64(_tokenKey), new WorkSignal(), TimeProvider.System);
        await RestartKeepsControlStateAsync(store, $$"""
            archiver.storage { provider = postgres, postgres.connection-string = "{{database.ConnectionString}}" }
            """);
        Assert.False(File.Exists(Path.Combine(Work, "state", "akka.db")), "the journal is in the PostgreSQL database");
    }

    private async Task RestartKeepsControlStateAsync(IArchiveStore store, string storage)
    {
        Emulator.AddAccount("acme", "token-acme", new AccountLimits(RatePerSecond: DropboxAllows, Burst: 2));
        Emulator.AddAccount("globex", "token-globex", AccountLimits.Unlimited);
        await store.MigrateAsync(CancellationToken.None);
        await AddCustomerWithItemsAsync(store, "acme", Items);
        await AddCustomerWithItemsAsync(store, "globex", 0);

        double learned;
        await using (var first = await StartAsync(storage))
        {
            Assert.Equal(0, (await first.CliAsync("pause", "globex")).ExitCode);
            await Eventually.TrueAsync(
                () => LearnedRates(first.Output).LastOrDefault() is > 0 and < Ceiling / 4,
                "acme's throttle learns a limit far below its ceiling and journals it", TimeSpan.FromSeconds(60));
            first.Process.Kill(); // no drain: what was journaled is all there is
            await first.Process.WaitForExitAsync();
            // The journal may hold a later limit than the log shows (a check every 300 ms, a log line lost to SIGKILL),
            // but once the throttle found the limit, every one it journals lies between the floor and the highest since.
            learned = LearnedRates(first.Output).SkipWhile(rate => rate >= Ceiling / 4).Max();
        }

        output.WriteLine($"highest learned limit journaled before the restart: {learned:0.##}/s");
        await EnqueueItemsAsync(store, "globex", 20);
        // The read model says active again; the journal says paused and decides.
        Assert.True(await store.SetCustomerStateAsync(new CustomerId("globex"), CustomerState.Active, "set behind the node's back", CancellationToken.None));

        await using var second = await StartAsync(storage);
        var rate = await FirstCurrentRateAsync(second, "acme");
        output.WriteLine($"acme's current rate right after the restart: {rate:0.##}/s (ceiling {Ceiling}/s)");
        Assert.InRange(rate, Ceiling * 0.05, learned); // just below a learned limit (the floor is 5 % of the ceiling)
        Assert.True(rate < Ceiling / 4, $"{rate}/s is far below the {Ceiling}/s ceiling");

        await Eventually.TrueAsync(
            async () => (await store.GetCustomerAsync(new CustomerId("globex"), CancellationToken.None))!.State == CustomerState.Paused,
            "the node writes the journaled pause back to the customers table", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2)); // ten refreshes: time enough to archive 20 items if it were served
        Assert.Empty(Emulator.Files("globex"));

        Assert.Equal(0, (await second.CliAsync("resume", "globex")).ExitCode);
        await Eventually.TrueAsync(() => Emulator.Files("globex").Count == 20, "resumed, globex archives its items", TimeSpan.FromSeconds(30));
    }

    private async Task<RunningNode> StartAsync(string storage)
    {
        var endpoint = Path.Combine(Work, "state", "api.endpoint");
        if (File.Exists(endpoint))
        {
            File.Delete(endpoint); // the last incarnation's address; wait for the new one
        }
        return await RunningNode.StartAsync(Work, Emulator.BaseUri, $$"""
            archiver {
              security.token-key = "{{_tokenKey}}"
              content.roots = ["{{Path.Combine(Work, "content")}}"]
              pipeline { rate-per-second = {{Ceiling}}, burst = 4, parallelism = 4 }
              persistence.rate-check-interval = 300ms
            }
            {{storage}}
            """);
    }

    /// <summary>The first current rate the status API shows for the customer once its throttle exists (polled every 20 ms).</summary>
    private async Task<double> FirstCurrentRateAsync(RunningNode node, string customer)
    {
        using var api = new HttpClient { BaseAddress = node.Address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", (await File.ReadAllTextAsync(Path.Combine(Work, "state", "api.token"))).Trim());
        double? rate = null;
        await Eventually.TrueAsync(
            async () =>
            {
                using var json = JsonDocument.Parse(await api.GetStringAsync("api/v1/status"));
                var row = json.RootElement.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == customer);
                rate = row.GetProperty("currentRate").ValueKind == JsonValueKind.Number ? row.GetProperty("currentRate").GetDouble() : null;
                return rate is not null;
            },
            $"{customer}'s throttle shows in the status",
            TimeSpan.FromSeconds(30));
        return rate!.Value;
    }

    /// <summary>Every learned limit the node logged as journaled, oldest first.</summary>
    private static double[] LearnedRates(string log) =>
        [.. LearnedRate().Matches(log).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"Customer acme learned limit ([0-9.]+)/s")]
    private static partial Regex LearnedRate();
}
