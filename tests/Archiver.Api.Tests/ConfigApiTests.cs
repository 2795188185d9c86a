using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

public sealed class ConfigApiTests
{
    [Fact]
    public async Task Config_ShowsTheNodeIdInUse_EvenWhenItComesFromTheDataDirectory()
    {
        await using var node = await ApiNode.StartAsync(new Dictionary<string, string?> { ["archiver:node:nodeid"] = "" });

        var config = await node.GetJsonAsync("/api/v1/config");

        var id = config.GetProperty("archiver.node.node-id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(node.App.Services.GetRequiredService<Archiver.Core.Node.ArchiverNode>().NodeId, id);
    }

    [Fact]
    public async Task Config_ShowsEffectiveSettingsWithEverySecretMasked()
    {
        var key = Convert.ToBase64String(new byte[32]);
        await using var node = await ApiNode.StartAsync(new Dictionary<string, string?>
        {
            ["archiver:security:tokenkey"] = key,
            ["archiver:dropbox:appkey"] = "app-key-value",
            ["archiver:dropbox:appsecret"] = "app-secret-value",
            ["archiver:storage:postgres:connectionstring"] = "Host=db;Username=archiver;Password=hunter2;Database=archiver",
            ["archiver:pipeline:parallelism"] = "7",
        });

        var (status, config) = await node.SendAsync(HttpMethod.Get, "/api/v1/config");
        var text = config.ToString();

        Assert.Equal(200, status);
        Assert.Equal("7", config.GetProperty("archiver.pipeline.parallelism").GetString());
        Assert.Equal("10", config.GetProperty("archiver.pipeline.burst").GetString()); // a default, not in any source
        Assert.Equal("***", config.GetProperty("archiver.security.token-key").GetString());
        Assert.Equal("***", config.GetProperty("archiver.api.token").GetString());
        Assert.Equal("***", config.GetProperty("archiver.dropbox.app-secret").GetString());
        Assert.Equal("Host=db;Username=archiver;Password=***;Database=archiver", config.GetProperty("archiver.storage.postgres.connection-string").GetString());
        foreach (var secret in new[] { key, "app-secret-value", "hunter2", ApiNode.Token })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
