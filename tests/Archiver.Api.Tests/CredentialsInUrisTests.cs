using Archiver.Hosting;
using Microsoft.Extensions.Options;

namespace Archiver.Api.Tests;

/// <summary>A user name and password written into a URI setting are secrets: never shown by the API, never logged.</summary>
public sealed class CredentialsInUrisTests
{
    [Fact]
    public async Task Config_MasksTheUserInfoOfEveryUriSetting()
    {
        await using var node = await ApiNode.StartAsync(new Dictionary<string, string?>
        {
            ["archiver:dropbox:apibaseuri"] = "http://archiver:s3cret@127.0.0.1:9/",
            ["archiver:node:address"] = "http://admin:hunter2@10.0.0.1:8780/",
        });

        var (status, config) = await node.SendAsync(HttpMethod.Get, "/api/v1/config");

        Assert.Equal(200, status);
        Assert.Equal("http://***@127.0.0.1:9/", config.GetProperty("archiver.dropbox.api-base-uri").GetString());
        Assert.Equal("http://***@10.0.0.1:8780/", config.GetProperty("archiver.node.address").GetString());
        Assert.DoesNotContain("s3cret", config.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsExporter_LogsItsEndpointWithoutTheCredentials()
    {
        var logger = new RecordingLogger<MetricsExporter>();
        using var exporter = new MetricsExporter(
            Options.Create(new TelemetryOptions { OtlpEndpoint = new Uri("http://collector:s3cret@127.0.0.1:9/") }), logger);

        await exporter.StartAsync(CancellationToken.None);

        var logged = Assert.Single(logger.Messages);
        Assert.Contains("http://***@127.0.0.1:9/", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", logged, StringComparison.Ordinal);
    }
}
