using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Archiver.EndToEnd.Tests;

/// <summary>Many small files through one customer whose Dropbox allows fewer calls than the node is configured for.</summary>
public sealed class BatchCommitsUnderRateLimitTests(ITestOutputHelper output) : EmulatorTest
{
    private const int Items = 2000;

    [Fact]
    public async Task TwoThousandSmallFiles_UnderALimitThatForces429s_AreCommittedInBatches_EachExactlyOnce()
    {
        const string name = "acme";
        Emulator.AddAccount(name, "token-acme", new AccountLimits(RatePerSecond: 400, Burst: 40) { WriteTime = TimeSpan.FromMilliseconds(10) });
        var scenario = new NodeScenario(Work, Emulator);
        using var host = scenario.Build(new Dictionary<string, string?>
        {
            ["archiver:pipeline:ratepersecond"] = "800",
            ["archiver:pipeline:burst"] = "80",
            ["archiver:pipeline:parallelism"] = "16",
            ["archiver:pipeline:maxattempts"] = "20",
        });
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await scenario.AddCustomerAsync(store, name, new DropboxCredentials(new Secret("token-acme")), Items);

        await host.StartAsync();
        await NodeScenario.UntilArchivedAsync(store, name, Items, TimeSpan.FromSeconds(45));
        await host.StopAsync();

        await scenario.AssertArchivedExactlyOnceAsync(store, name, Items);
        var stats = Emulator.Stats(name);
        output.WriteLine(
            $"{stats.Requests} requests, {stats.RateLimited} answered 429 ({100.0 * stats.RateLimited / stats.Requests:0.00} %); "
            + $"{stats.BatchCommits} batch commits carrying {stats.BatchEntries} entries, at most {stats.LargestBatch} in one.");
        Assert.True(stats.RateLimited > 0, "the account's limit was never met");
        Assert.True(stats.LargestBatch > 1, "no batch commit carried more than one entry");
        Assert.True(stats.BatchCommits < Items, "every file was committed on its own");
    }
}
