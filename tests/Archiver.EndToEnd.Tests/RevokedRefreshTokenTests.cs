using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archiver.EndToEnd.Tests;

/// <summary>Five customers connected with refresh tokens; one of them disconnects the app.</summary>
public sealed class RevokedRefreshTokenTests : EmulatorTest
{
    private const int Items = 40;

    [Fact]
    public async Task RevokedRefreshToken_ParksThatCustomerAsNeedsReauth_ItsItemsStayPending_TheOtherFourFinish()
    {
        string[] healthy = ["alpha", "bravo", "charlie", "delta"];
        const string revoked = "echo";
        foreach (var name in healthy.Append(revoked))
        {
            Emulator.AddAccount(name, $"token-{name}", $"refresh-{name}", new AccountLimits(RatePerSecond: 200, Burst: 20));
        }

        Emulator.Account(revoked).RevokeRefreshToken();
        var scenario = new NodeScenario(Work, Emulator);
        using var host = scenario.Build(new Dictionary<string, string?>
        {
            ["archiver:dropbox:appkey"] = "emulator-app-key",
            ["archiver:dropbox:appsecret"] = "emulator-app-secret",
            ["archiver:pipeline:parallelism"] = "4",
        });
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        foreach (var name in healthy.Append(revoked))
        {
            await scenario.AddCustomerAsync(store, name, new DropboxCredentials(AccessToken: null, new Secret($"refresh-{name}")), Items);
        }

        await host.StartAsync();
        foreach (var name in healthy)
        {
            await NodeScenario.UntilArchivedAsync(store, name, Items);
        }

        await Eventually.TrueAsync(
            async () => (await store.GetCustomerAsync(new CustomerId(revoked), CancellationToken.None))!.State == CustomerState.NeedsReauth,
            "the revoked customer is parked as needs_reauth",
            NodeScenario.Deadline);
        await host.StopAsync();

        foreach (var name in healthy)
        {
            await scenario.AssertArchivedExactlyOnceAsync(store, name, Items);
        }

        var parked = await NodeScenario.ProgressAsync(store, revoked);
        Assert.Equal(0, parked.Failed);
        Assert.Equal(0, parked.Archived);
        Assert.Equal(Items, parked.Pending);
        Assert.Empty(Emulator.Files(revoked));
        var events = await store.ReadEventsAsync(
            new EventQuery(Customer: new CustomerId(revoked), Type: EventTypes.CustomerStateChanged), CancellationToken.None);
        Assert.Contains(events, e => e.Details.Contains("needs_reauth", StringComparison.OrdinalIgnoreCase)
            || e.Details.Contains("NeedsReauth", StringComparison.Ordinal));
    }
}
