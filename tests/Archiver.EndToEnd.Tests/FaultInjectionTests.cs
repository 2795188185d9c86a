using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archiver.EndToEnd.Tests;

/// <summary>A Dropbox that is slow, answers some calls 503 and drops some connections mid-body.</summary>
public sealed class FaultInjectionTests : EmulatorTest
{
    private const int Items = 150;

    [Fact]
    public async Task ServerErrorsLatencyAndDroppedConnections_EveryItemStillArchivedExactlyOnce()
    {
        const string name = "acme";
        var account = Emulator.AddAccount(name, "token-acme", new AccountLimits(RatePerSecond: 500, Burst: 50)
        {
            Latency = TimeSpan.FromMilliseconds(5),
            LatencyJitter = TimeSpan.FromMilliseconds(20),
            ServerErrorShare = 0.1,
            DropShare = 0.1,
        });
        var scenario = new NodeScenario(Work, Emulator);
        using var host = scenario.Build(new Dictionary<string, string?> { ["archiver:pipeline:maxattempts"] = "30" });
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await scenario.AddCustomerAsync(store, name, new DropboxCredentials(new Secret("token-acme")), Items);

        await host.StartAsync();
        await NodeScenario.UntilArchivedAsync(store, name, Items);
        await host.StopAsync();

        await scenario.AssertArchivedExactlyOnceAsync(store, name, Items);
        var stats = account.Stats();
        Assert.True(stats.ServerErrorsInjected > 0, "no 5xx was injected");
        Assert.True(stats.ConnectionsDropped > 0, "no connection was dropped");
    }
}
