using System.Diagnostics;
using System.Security.Cryptography;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Xunit.Abstractions;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// One real <c>archiver run</c> process on SQLite, SIGKILLed at random moments and started again in the same
/// directory: every restart takes its own leases back at once, and nothing is lost or archived twice.
/// </summary>
public sealed class CrashLoopTests(ITestOutputHelper output) : EmulatorTest
{
    private const int Items = 2_000;
    private const int Kills = 5;

    /// <summary>Far longer than a restart may take to resume: waiting out the dead incarnation's lease fails the test.</summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan ResumeDeadline = TimeSpan.FromSeconds(12);

    private readonly string _tokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task SqliteNodeKilledFiveTimes_ResumesAtOnceEachTime_AndArchivesEveryItemExactlyOnce()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        Emulator.AddAccount("acme", "token-acme", new AccountLimits(RatePerSecond: 200, Burst: 20));
        var database = Path.Combine(Work, "state", "archiver.db");
        await using (var setup = OpenStore(database))
        {
            await setup.MigrateAsync(CancellationToken.None);
            await AddCustomerWithItemsAsync(setup, "acme", Items);
        }

        await using var store = OpenStore(database); // reads beside the node, as another process would
        var clock = Stopwatch.StartNew();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var before = await ArchivedAsync(store);
            var node = await StartAsync();
            try
            {
                // Resumed: its first checkpoint under a new lease. The dead incarnation's lease would hold it for 30 s.
                await Eventually.TrueAsync(async () => await ArchivedAsync(store) > before, $"incarnation {kill} archives something", ResumeDeadline);
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 800)));
                node.Process.Kill(); // SIGKILL: no drain, no release, claims left in flight
                await node.Process.WaitForExitAsync();
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed incarnation {kill} with {await ArchivedAsync(store)} archived");
            }
            finally
            {
                await node.DisposeAsync();
            }
        }

        Assert.True(await ArchivedAsync(store) < Items, "the kills landed mid-run");
        IReadOnlyList<Core.Cluster.ClusterNode> nodes;
        await using (var last = await StartAsync())
        {
            await Eventually.TrueAsync(async () => await ArchivedAsync(store) == Items, "the last incarnation archives the rest", TimeSpan.FromSeconds(30));
            nodes = await store.ListNodesAsync(CancellationToken.None);
        }

        Assert.Single(nodes); // six incarnations, one identity, one row
        Assert.Equal(File.ReadAllText(Path.Combine(Work, "state", "node.id")).Trim(), nodes[0].NodeId);

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s in all");
        var progress = (await store.GetProgressAsync(new CustomerId("acme"), CancellationToken.None)).Single();
        Assert.Equal((Items, 0L, 0L, 0L), (progress.Archived, progress.InFlight, progress.Pending, progress.Failed));
        var files = Emulator.Files("acme");
        Assert.Equal(Items, files.Count);
        Assert.Equal(Items, files.Select(f => f.Rev).Distinct().Count()); // never overwritten: each written once
        var archived = await store.ListItemsAsync(new ItemQuery(new CustomerId("acme"), ItemStatus.Archived, Limit: Items + 1), CancellationToken.None);
        Assert.Equal(
            archived.Select(i => (i.Archived!.Path.ToLowerInvariant(), i.Archived.ContentHash)).Order(),
            files.Select(f => (f.PathDisplay.ToLowerInvariant(), f.ContentHash)).Order());
    }

    private async Task<RunningNode> StartAsync()
    {
        File.Delete(Path.Combine(Work, "state", "api.endpoint")); // the last incarnation's address; wait for the new one
        return await RunningNode.StartAsync(Work, Emulator.BaseUri, $$"""
            archiver {
              security.token-key = "{{_tokenKey}}"
              content.roots = ["{{Path.Combine(Work, "content")}}"]
              supervision.lease-duration = {{LeaseDuration.TotalSeconds}}s
              pipeline { rate-per-second = 200, burst = 20, parallelism = 8 }
            }
            """);
    }

    private SqliteArchiveStore OpenStore(string path) =>
        new(new SqliteStoreOptions { DatabasePath = path }, AesGcmTokenProtector.FromBase64(_tokenKey), new WorkSignal(), TimeProvider.System);

    private static async Task<long> ArchivedAsync(IArchiveStore store) =>
        (await store.GetProgressAsync(null, CancellationToken.None)).Sum(p => p.Archived);
}
