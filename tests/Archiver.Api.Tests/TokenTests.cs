using System.Net;
using System.Net.Http.Headers;
using Archiver.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Archiver.Api.Tests;

public sealed class TokenTests
{
    [Fact]
    public async Task WithoutAConfiguredToken_OneIsGeneratedIntoAnOwnerOnlyFileBesideTheKeyFile()
    {
        await using var node = await ApiNode.StartAsync(withToken: false);
        var file = Path.Combine(node.Work, "api.token");

        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var token = (await File.ReadAllTextAsync(file)).Trim();
        Assert.True(token.Length >= 32);
        using var client = new HttpClient { BaseAddress = node.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/status", UriKind.Relative))).StatusCode);
        node.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiNode.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Client.GetAsync(new Uri("/api/v1/status", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task StartedNode_WritesTheAddressItListensOnForTheCli()
    {
        await using var node = await ApiNode.StartAsync();

        var written = (await File.ReadAllTextAsync(Path.Combine(node.Work, "api.endpoint"))).Trim();

        Assert.Equal(node.Address, new Uri(written));
        Assert.NotEqual(0, node.Address.Port);
        Assert.Equal("127.0.0.1", node.Address.Host);
    }

    [Fact]
    public void NonLoopbackBind_WithoutAToken_RefusesToStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["archiver:api:bind"] = "0.0.0.0",
            ["archiver:storage:sqlitepath"] = Path.Combine(Path.GetTempPath(), "never.db"),
        }).Build();

        var refused = Assert.Throws<OptionsValidationException>(() => NodeHost.BuildNode(configuration));

        Assert.Contains(refused.Failures, f => f.StartsWith("archiver.api.bind", StringComparison.Ordinal) && f.Contains("archiver.api.token", StringComparison.Ordinal));
    }
}
