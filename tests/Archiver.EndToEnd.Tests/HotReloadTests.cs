using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Hosting;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Archiver.EndToEnd.Tests;

/// <summary>A running node follows edits of its configuration file, and refuses broken ones.</summary>
public sealed class HotReloadTests : EmulatorTest
{
    private static readonly CustomerId Acme = new("acme");

    [Fact]
    public async Task RaisingTheRateInTheFile_RaisesTheMeasuredRateOfTheRunningPipeline()
    {
        Emulator.AddAccount("acme", "token-acme", new AccountLimits(RatePerSecond: 1_000, Burst: 100));
        var file = await WriteConfigAsync(rate: "4");
        using var host = NodeHost.Build(ArchiverConfiguration.Build(file, []), minimumLevel: LogLevel.Warning);
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await AddCustomerWithItemsAsync(store, "acme", 400);
        await host.StartAsync();
        await Eventually.TrueAsync(async () => await ArchivedAsync(store) > 0, "archiving has begun");

        var slow = await MeasureRateAsync(store);
        await WriteConfigAsync(rate: "40");
        var node = host.Services.GetRequiredService<ArchiverNode>();
        await Eventually.TrueAsync(() => node.Configuration.Defaults.RatePerSecond == 40, "the node took the new rate");
        var fast = await MeasureRateAsync(store);

        Assert.True(fast >= 3 * slow, $"rate before the edit {slow:0.#}/s, after {fast:0.#}/s");
        Assert.Equal(0, node.Activity().Single().Restarts);
        await host.StopAsync();
    }

    [Fact]
    public async Task ABrokenEdit_IsRefused_AndTheLastGoodConfigurationStaysInForce()
    {
        var file = await WriteConfigAsync(rate: "25");
        using var host = NodeHost.Build(ArchiverConfiguration.Build(file, []), minimumLevel: LogLevel.Critical);
        var node = host.Services.GetRequiredService<ArchiverNode>();
        var reloader = host.Services.GetRequiredService<ConfigurationReloader>();
        await host.StartAsync();

        await File.WriteAllTextAsync(file + ".tmp", "archiver { pipeline { rate-per-second = ");
        File.Move(file + ".tmp", file, overwrite: true); // as editors save: written in place, the watcher may see the emptied file, which is valid
        await Eventually.TrueAsync(() => reloader.LastRefusal?.Contains("archiver.conf:1:", StringComparison.Ordinal) == true, "the syntax error is refused");
        Assert.Equal(25, node.Configuration.Defaults.RatePerSecond);

        await WriteConfigAsync(rate: "-3");
        await Eventually.TrueAsync(() => reloader.LastRefusal?.Contains("archiver.pipeline.rate-per-second = -3", StringComparison.Ordinal) == true, "the bad value is refused");
        Assert.Equal(25, node.Configuration.Defaults.RatePerSecond);

        await WriteConfigAsync(rate: "30");
        await Eventually.TrueAsync(() => node.Configuration.Defaults.RatePerSecond == 30, "a good edit is applied again");
        await host.StopAsync();
    }

    [Fact]
    public async Task AnEditWithAnUnknownKeyOrAWrongType_IsRefused_AndTheLastGoodConfigurationStaysInForce()
    {
        var file = await WriteConfigAsync(rate: "25");
        using var host = NodeHost.Build(ArchiverConfiguration.Build(file, []), minimumLevel: LogLevel.Critical);
        var node = host.Services.GetRequiredService<ArchiverNode>();
        var reloader = host.Services.GetRequiredService<ConfigurationReloader>();
        await host.StartAsync();

        await WriteConfigAsync(rate: "30", customers: "pipelin { burst = 2 }");
        await Eventually.TrueAsync(() => reloader.LastRefusal?.Contains("did you mean archiver.pipeline.burst?", StringComparison.Ordinal) == true, "the unknown key is refused");
        Assert.Contains("archiver.conf:8", reloader.LastRefusal, StringComparison.Ordinal);
        Assert.Equal(25, node.Configuration.Defaults.RatePerSecond);

        await WriteConfigAsync(rate: "\"lots\"");
        await Eventually.TrueAsync(() => reloader.LastRefusal?.Contains("archiver.pipeline.rate-per-second = \"lots\"", StringComparison.Ordinal) == true, "the wrong type is refused");
        Assert.Equal(25, node.Configuration.Defaults.RatePerSecond);

        await WriteConfigAsync(rate: "30");
        await Eventually.TrueAsync(() => node.Configuration.Defaults.RatePerSecond == 30, "a good edit is applied again");
        await host.StopAsync();
    }

    [Fact]
    public async Task ACustomerBlockInTheFile_OverridesTheDefaultsForThatCustomerOnly()
    {
        var file = await WriteConfigAsync(rate: "25", customers: "customers { acme { rate-per-second = 7, parallelism = 2 } }");
        using var host = NodeHost.Build(ArchiverConfiguration.Build(file, []), minimumLevel: LogLevel.Warning);
        var configuration = host.Services.GetRequiredService<ArchiverNode>().Configuration;

        var acme = configuration.For(CustomerOf("acme"));
        var globex = configuration.For(CustomerOf("globex"));

        Assert.Equal((7d, 2), (acme.Throttle.RatePerSecond, acme.Parallelism));
        Assert.Equal((25d, 4), (globex.Throttle.RatePerSecond, globex.Parallelism));
    }

    [Fact]
    public async Task ABadValueInACustomerBlock_RefusesToStart_NamingTheKey()
    {
        var file = await WriteConfigAsync(rate: "25", customers: "customers { acme { parallelism = 0 } }");

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => NodeHost.Build(ArchiverConfiguration.Build(file, []), minimumLevel: LogLevel.Warning));

        Assert.Contains(refused.Failures, f => f.StartsWith("archiver.customers.acme.parallelism = 0:", StringComparison.Ordinal));
    }

    private static Customer CustomerOf(string id) =>
        new(new CustomerId(id), id, CustomerState.Active, new DropboxCredentials(null), CustomerTuning.Default, DateTimeOffset.UnixEpoch);

    private async Task<string> WriteConfigAsync(string rate, string customers = "")
    {
        var file = Path.Combine(Work, "archiver.conf");
        var text = $$"""
            archiver {
              storage.sqlite-path = "{{Path.Combine(Work, "archiver.db")}}"
              security.token-key-file = "{{Path.Combine(Work, "token.key")}}"
              content.roots = ["{{Path.Combine(Work, "content")}}"]
              dropbox { api-base-uri = "{{Emulator.BaseUri}}", content-base-uri = "{{Emulator.BaseUri}}" }
              node.refresh-interval = 100ms
              pipeline { rate-per-second = {{rate}}, burst = 1, parallelism = 4 }
              {{customers}}
            }
            """;
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, text);
        File.Move(temporary, file, overwrite: true); // as editors save: the watcher never sees half a file
        return file;
    }

    private static async Task<double> MeasureRateAsync(IArchiveStore store)
    {
        var window = TimeSpan.FromSeconds(2);
        var before = await ArchivedAsync(store);
        await Task.Delay(window);
        return (await ArchivedAsync(store) - before) / window.TotalSeconds;
    }

    private static async Task<long> ArchivedAsync(IArchiveStore store) =>
        (await store.GetProgressAsync(Acme, CancellationToken.None)).Sum(p => p.Archived);
}
