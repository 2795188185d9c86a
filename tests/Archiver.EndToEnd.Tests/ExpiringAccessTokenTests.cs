using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archiver.EndToEnd.Tests;

/// <summary>A customer connected with a refresh token whose access tokens expire while its items are archived.</summary>
public sealed class ExpiringAccessTokenTests : EmulatorTest
{
    private const int Items = 300;

    protected override EmulatorOptions EmulatorOptions => new() { AccessTokenLifetime = TimeSpan.FromMinutes(6) };

    [Fact]
    public async Task AccessTokensExpiringMidRun_AreRefreshed_EveryItemArchivedAndNoneFailed()
    {
        const string name = "acme";
        var account = Emulator.AddAccount(name, "token-acme", "refresh-acme", new AccountLimits(RatePerSecond: 300, Burst: 30));
        var scenario = new NodeScenario(Work, Emulator);
        using var host = scenario.Build(new Dictionary<string, string?>
        {
            ["archiver:dropbox:appkey"] = "emulator-app-key",
            ["archiver:dropbox:appsecret"] = "emulator-app-secret",
            ["archiver:pipeline:ratepersecond"] = "100",
        });
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await scenario.AddCustomerAsync(store, name, new DropboxCredentials(AccessToken: null, new Secret("refresh-acme")), Items);

        await host.StartAsync();
        foreach (var share in new[] { 4, 2 })
        {
            // Every access token issued so far stops working, between uploads and batch commits alike.
            await Archiver.Testing.Eventually.TrueAsync(
                async () => (await NodeScenario.ProgressAsync(store, name)).Archived >= Items / share,
                $"{Items / share} items are archived",
                NodeScenario.Deadline);
            account.ExpireAccessToken();
        }

        await NodeScenario.UntilArchivedAsync(store, name, Items);
        await host.StopAsync();

        await scenario.AssertArchivedExactlyOnceAsync(store, name, Items);
        Assert.True(account.Stats().TokenRefreshes >= 3, "the expired tokens were not refreshed");
    }
}
