using System.Text.Json;
using Archiver.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

/// <summary>
/// Status and config show the settings in force for each customer — the configuration file's per-customer block
/// included — and keep showing the last good configuration when an edit is refused.
/// </summary>
public sealed class EffectiveSettingsTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["archiver:pipeline:ratepersecond"] = "25",
        ["archiver:customers:acme:ratepersecond"] = "7",
    };

    [Fact]
    public async Task Status_ShowsTheRateOfTheCustomersBlockInTheFile_NotTheDefault()
    {
        await using var node = await ApiNode.StartAsync(Settings);
        await node.AddCustomerAsync("acme");
        await node.AddCustomerAsync("globex");

        var status = await node.GetJsonAsync("/api/v1/status");

        Assert.Equal(7, RateLimit(status, "acme"));
        Assert.Equal(25, RateLimit(status, "globex"));
    }

    [Fact]
    public async Task Config_ShowsEachCustomersBlockInForce()
    {
        await using var node = await ApiNode.StartAsync(Settings);

        var config = await node.GetJsonAsync("/api/v1/config");

        Assert.Equal("7", config.GetProperty("archiver.customers.acme.rate-per-second").GetString());
    }

    [Fact]
    public async Task StatusAndConfig_AfterARefusedEdit_ShowTheLastGoodConfigurationInsteadOfFailing()
    {
        await using var node = await ApiNode.StartAsync(Settings);
        await node.AddCustomerAsync("acme");
        await node.AddCustomerAsync("globex");

        Edit(node.App, ("archiver:pipeline:ratepersecond", "-3"), ("archiver:customers:acme:ratepersecond", "0"));
        var reloader = node.App.Services.GetRequiredService<ConfigurationReloader>();
        Assert.False(reloader.Reload());

        var (statusCode, status) = await node.SendAsync(HttpMethod.Get, "/api/v1/status");
        var (configCode, config) = await node.SendAsync(HttpMethod.Get, "/api/v1/config");

        Assert.Equal((200, 200), (statusCode, configCode));
        Assert.Equal((7d, 25d), (RateLimit(status, "acme"), RateLimit(status, "globex")));
        Assert.Equal("25", config.GetProperty("archiver.pipeline.rate-per-second").GetString());
        Assert.Equal("7", config.GetProperty("archiver.customers.acme.rate-per-second").GetString());
    }

    /// <summary>Changes settings as an edited file would, and lets everything that watches the configuration see it.</summary>
    private static void Edit(WebApplication app, params (string Key, string Value)[] settings)
    {
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        configuration.Reload();
    }

    private static double RateLimit(JsonElement status, string customer) =>
        status.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == customer).GetProperty("rateLimit").GetDouble();
}
