using System.Diagnostics;
using Archiver.App.Hosting;
using Archiver.Dropbox.Emulator;
using Archiver.Pipeline;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.EndToEnd.Tests;

public sealed class CliTests : EmulatorTest
{
    [Fact]
    public async Task CustomersAddEnqueueAndRun_ArchiveTheFileIntoDropbox()
    {
        Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
        var config = Path.Combine(Work, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            include "base.conf"
            archiver {
              dropbox { api-base-uri = "{{Emulator.BaseUri}}", content-base-uri = ${archiver.dropbox.api-base-uri} }
              node.refresh-interval = 200ms
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(Work, "base.conf"), """
            archiver.storage.sqlite-path = "state/archiver.db"
            archiver.content.roots = ["recordings"]
            archiver.security.token-key-file = "state/token.key"
            """);
        var recording = Path.Combine(Directory.CreateDirectory(Path.Combine(Work, "recordings")).FullName, "call-1.wav");
        await File.WriteAllBytesAsync(recording, new byte[4096]);

        var added = await ArchiverProcess.RunAsync(Work, "customers", "add", "acme", "--access-token", "sl.acme", "--config", config);
        Assert.True(added.ExitCode == 0, added.Output + added.Error);
        var enqueued = await ArchiverProcess.RunAsync(Work, "enqueue", "--customer", "acme", "--external-id", "call-1", "--kind", "CallRecording",
            "--file", recording, "--from", "+15550100", "--to", "+15550199", "--occurred-at", "2026-11-24T10:00:00Z", "--config", config);
        Assert.True(enqueued.ExitCode == 0, enqueued.Output + enqueued.Error);
        Assert.All(Directory.GetFiles(Path.Combine(Work, "state"), "archiver.db*"), file =>
            Assert.DoesNotContain("sl.acme", File.ReadAllText(file), StringComparison.Ordinal)); // the token is encrypted at rest

        using (var node = Process.Start(ArchiverProcess.StartInfo(Work, "run", "--config", config))!)
        {
            try
            {
                await Eventually.TrueAsync(() => Emulator.Files("acme").Count == 1, "the node archives the recording", TimeSpan.FromSeconds(60));
                await ArchiverProcess.TerminateAsync(node); // graceful: what finished is checkpointed before exit
                Assert.Equal(0, node.ExitCode);
            }
            finally
            {
                if (!node.HasExited)
                {
                    node.Kill(entireProcessTree: true);
                }
            }
        }

        Assert.Equal("/Archiver/calls/2026/11/24/+15550100_+15550199_call-1.wav", Emulator.Files("acme")[0].PathDisplay);
        var listed = await ArchiverProcess.RunAsync(Work, "customers", "list", "--config", config);
        Assert.Matches(@"acme\s*│\s*acme\s*│\s*Active\s*│\s*0\s*│\s*0\s*│\s*1\s*│\s*0", listed.Output);
    }

    [Fact]
    public async Task Enqueue_FileOutsideTheContentRoots_IsRefusedWithAReason()
    {
        var outside = Path.Combine(Work, "elsewhere.wav");
        await File.WriteAllBytesAsync(outside, [1, 2, 3]);
        await ArchiverProcess.RunAsync(Work, "customers", "add", "acme", "--access-token", "t");

        var result = await ArchiverProcess.RunAsync(Work, "enqueue", "--customer", "acme", "--external-id", "x", "--kind", "Sms", "--file", outside);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("outside the content roots", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("archiver.pipeline.parallelism=0", "archiver.pipeline.parallelism = 0: The field Parallelism must be between 1 and 1000.")]
    [InlineData("archiver.pipeline.path-template=/x/{kind}", "must contain {id}")]
    [InlineData("archiver.pipeline.poll-interval=soon", "'soon' is not a valid duration")]
    public async Task Run_WithABadSetting_RefusesToStartNamingTheSetting(string setting, string expected)
    {
        var result = await ArchiverProcess.RunAsync(Work, "run", "--set", setting);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configuration error", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithABrokenConfigFile_NamesFileLineAndColumn()
    {
        var config = Path.Combine(Work, "broken.conf");
        await File.WriteAllTextAsync(config, "archiver {\n  pipeline { burst = }\n}\n");

        var result = await ArchiverProcess.RunAsync(Work, "run", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("broken.conf:2:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedConfigFile_ParsesBindsAndMatchesTheBuiltInDefaults()
    {
        var configuration = ArchiverConfiguration.Build(Path.Combine(AppContext.BaseDirectory, "hocon", "archiver.conf"), []);
        using var host = NodeHost.Build(configuration, minimumLevel: LogLevel.Warning);

        var pipeline = host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var defaults = new PipelineOptions();
        Assert.Equal(
            (defaults.RatePerSecond, defaults.Burst, defaults.Parallelism, defaults.PollInterval, defaults.RetryMaxDelay, defaults.PathTemplate),
            (pipeline.RatePerSecond, pipeline.Burst, pipeline.Parallelism, pipeline.PollInterval, pipeline.RetryMaxDelay, pipeline.PathTemplate));
    }
}
