using System.Diagnostics;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Dropbox.Emulator;
using Archiver.Hosting;
using Archiver.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.EndToEnd.Tests;

public sealed class CliTests : EmulatorTest
{
    [Fact]
    public async Task CustomersAddEnqueueAndStatus_ThroughTheApi_ArchiveTheFileIntoDropbox()
    {
        Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        var recording = Path.Combine(Work, "recordings", "call-1.wav");
        await File.WriteAllBytesAsync(recording, new byte[4096]);

        var added = await node.CliAsync("customers", "add", "acme", "--access-token", "sl.acme", "--rate", "25");
        Assert.True(added.ExitCode == 0, added.Output + added.Error);
        var enqueued = await node.CliAsync("enqueue", "--customer", "acme", "--external-id", "call-1", "--kind", "CallRecording",
            "--file", recording, "--from", "+15550100", "--to", "+15550199", "--occurred-at", "2026-11-24T10:00:00Z");
        Assert.True(enqueued.ExitCode == 0, enqueued.Output + enqueued.Error);
        await Eventually.TrueAsync(() => Emulator.Files("acme").Count == 1, "the node archives the recording", TimeSpan.FromSeconds(60));
        Assert.All(Directory.GetFiles(Path.Combine(Work, "state"), "archiver.db*"), file =>
            Assert.DoesNotContain("sl.acme", File.ReadAllText(file), StringComparison.Ordinal)); // the token is encrypted at rest
        Assert.Equal("/Archiver/calls/2026/11/24/+15550100_+15550199_call-1.wav", Emulator.Files("acme")[0].PathDisplay);

        await Eventually.TrueAsync(async () => (await node.CliAsync("customers", "list")).Output.Contains("│ 1 ", StringComparison.Ordinal),
            "the archived item is counted", TimeSpan.FromSeconds(30));
        var listed = await node.CliAsync("customers", "list");
        Assert.Matches(@"acme\s*│\s*acme\s*│\s*Active\s*│\s*0\s*│\s*0\s*│\s*1\s*│\s*0", listed.Output);
        var shown = await node.CliAsync("customers", "show", "acme");
        Assert.Matches(@"access token\s+set", shown.Output);
        Assert.DoesNotContain("sl.acme", shown.Output + listed.Output, StringComparison.Ordinal);
        var status = await node.CliAsync("status");
        Assert.Matches(@"acme\s*│\s*\S*Active\S*\s*│.*100%\s*│\s*1\s*│\s*0\s*│\s*0\s*│", status.Output);
        var json = await node.CliAsync("status", "--json");
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.Equal(25, parsed.RootElement.GetProperty("customers")[0].GetProperty("rateLimit").GetDouble());
    }

    [Fact]
    public async Task Enqueue_FileOutsideTheContentRoots_IsRefusedInOneLine()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        var outside = Path.Combine(Work, "elsewhere.wav");
        await File.WriteAllBytesAsync(outside, [1, 2, 3]);
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "t")).ExitCode);

        var result = await node.CliAsync("enqueue", "--customer", "acme", "--external-id", "x", "--kind", "Sms", "--file", outside);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("archiver: 400", line, StringComparison.Ordinal);
        Assert.Contains("outside the content roots", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomersAdd_WithADotDotPathTemplate_IsRefusedInOneLine()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);

        var result = await node.CliAsync("customers", "add", "acme", "--access-token", "t", "--path-template", "/x/{id}/../../{id}.{ext}");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("archiver: 400", line, StringComparison.Ordinal);
        Assert.Contains("pathTemplate", line, StringComparison.Ordinal);
        Assert.Contains("'..'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_StoresGoodLinesAndNamesEveryRefusedLine_PauseResumeRetryEventsClusterAndConfigWork()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri, "archiver.dropbox.app-secret = \"very-secret-app\"\narchiver.dropbox.app-key = \"k\"");
        Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "sl.acme")).ExitCode);
        Assert.Equal(0, (await node.CliAsync("pause", "acme")).ExitCode);
        var lines = new List<string>();
        for (var i = 1; i <= 7; i++)
        {
            var file = Path.Combine(Work, "recordings", $"sms-{i}.txt");
            await File.WriteAllTextAsync(file, $"message {i}");
            lines.Add($$"""{"customer":"acme","externalId":"sms-{{i}}","kind":"Sms","source":"{{file}}","occurredAt":"2026-11-24T10:00:00Z"}""");
        }

        lines.Insert(2, "{ broken");
        lines.Insert(5, """{"customer":"nobody","externalId":"x","kind":"Sms","source":"/etc/passwd","occurredAt":"2026-11-24T10:00:00Z"}""");
        var jsonl = Path.Combine(Work, "items.jsonl");
        await File.WriteAllLinesAsync(jsonl, lines);

        var imported = await node.CliAsync("import", jsonl, "--batch-size", "4");

        Assert.Equal(3, imported.ExitCode);
        Assert.Contains("7 item(s) enqueued", imported.Output, StringComparison.Ordinal);
        Assert.Matches(@"line 3\s*: malformed JSON", imported.Output);
        Assert.Matches(@"line 6\s*: .*outside the content roots", imported.Output);
        Assert.Empty(Emulator.Files("acme")); // paused

        var resumed = await node.CliAsync("resume", "acme");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        await Eventually.TrueAsync(() => Emulator.Files("acme").Count == 7, "the resumed customer archives every imported item", TimeSpan.FromSeconds(60));
        var retried = await node.CliAsync("retry-failed", "acme", "--json");
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(retried.Output).RootElement.GetProperty("retried").GetInt32());

        var events = await node.CliAsync("events", "tail", "--customer", "acme", "--type", "customer.state_changed", "--json");
        var states = events.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, states.Length);
        Assert.Contains("paused by an operator", states[0], StringComparison.Ordinal);

        var cluster = await node.CliAsync("cluster", "show");
        Assert.True(cluster.ExitCode == 0, cluster.Output + cluster.Error);
        var config = await node.CliAsync("config", "show", "--json");
        Assert.Contains("\"archiver.dropbox.app-secret\": \"***\"", config.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-app", config.Output, StringComparison.Ordinal);
        var url = await node.CliAsync("status", "--url");
        Assert.StartsWith(node.Address + "#token=", url.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigShow_WithoutANode_ShowsTheSettingsFromFileEnvironmentAndSet_AkkaIncluded_SecretsMasked()
    {
        var config = Path.Combine(Work, "local.conf");
        await File.WriteAllTextAsync(config, """
            archiver.pipeline.parallelism = 6
            archiver.dropbox.app-key = "local-app"
            archiver.dropbox.app-secret = "very-secret-app"
            akka.loglevel = WARNING
            """);

        var local = await ArchiverProcess.RunAsync(Work, "config", "show", "--local", "--json", "--config", config,
            "--set", "archiver.pipeline.burst=3", "--set", "akka.coordinated-shutdown.default-phase-timeout=7s");

        Assert.True(local.ExitCode == 0, local.Output + local.Error);
        var settings = System.Text.Json.JsonDocument.Parse(local.Output).RootElement;
        Assert.Equal("6", settings.GetProperty("archiver.pipeline.parallelism").GetString());
        Assert.Equal("3", settings.GetProperty("archiver.pipeline.burst").GetString());
        Assert.Equal("WARNING", settings.GetProperty("akka.loglevel").GetString());
        Assert.Equal("7s", settings.GetProperty("akka.coordinated-shutdown.default-phase-timeout").GetString());
        Assert.Equal("40s", settings.GetProperty("akka.coordinated-shutdown.phases.service-stop.timeout").GetString()); // a default
        Assert.Equal("***", settings.GetProperty("archiver.dropbox.app-secret").GetString());
        Assert.DoesNotContain("very-secret-app", local.Output, StringComparison.Ordinal);

        var noNode = await ArchiverProcess.RunAsync(Work, "config", "show", "--json", "--config", config, "--api", "http://127.0.0.1:9/");
        Assert.True(noNode.ExitCode == 0, noNode.Output + noNode.Error);
        Assert.Contains("no node answers at http://127.0.0.1:9/", noNode.Error, StringComparison.Ordinal);
        Assert.Equal("6", System.Text.Json.JsonDocument.Parse(noNode.Output).RootElement.GetProperty("archiver.pipeline.parallelism").GetString());

        var broken = await ArchiverProcess.RunAsync(Work, "config", "show", "--local", "--set", "archiver.pipeline.parallelism=0");
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("archiver.pipeline.parallelism", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WithAWrongToken_OrNoNode_SaysSoInOneLineAndFails()
    {
        await using (var node = await RunningNode.StartAsync(Work, Emulator.BaseUri))
        {
            var refused = await node.CliAsync("customers", "list", "--token", "wrong");
            Assert.True(refused.ExitCode == 1, refused.Output + refused.Error);
            Assert.StartsWith("archiver: 401 Unauthorized", refused.Error.Trim(), StringComparison.Ordinal);
            var unknown = await node.CliAsync("pause", "nobody");
            Assert.Equal(1, unknown.ExitCode);
            Assert.Equal("archiver: 404 Unknown customer: No customer 'nobody'.", unknown.Error.Trim());
        }

        var gone = await ArchiverProcess.RunAsync(Work, "status", "--api", "http://127.0.0.1:1/");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("cannot reach the node's API at http://127.0.0.1:1/", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWatchAndEventsFollow_KeepShowingChangesUntilStopped()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "t")).ExitCode);
        using var watch = Process.Start(ArchiverProcess.StartInfo(Work, "status", "--watch", "--config", node.Config))!;
        using var follow = Process.Start(ArchiverProcess.StartInfo(Work, "events", "tail", "--follow", "--config", node.Config))!;
        var (watched, followed) = (new System.Text.StringBuilder(), new System.Text.StringBuilder());
        watch.OutputDataReceived += (_, e) => { lock (watched) { watched.AppendLine(e.Data); } };
        follow.OutputDataReceived += (_, e) => { lock (followed) { followed.AppendLine(e.Data); } };
        watch.BeginOutputReadLine();
        follow.BeginOutputReadLine();
        try
        {
            await Eventually.TrueAsync(() => { lock (watched) { return watched.ToString().Contains("Active", StringComparison.Ordinal); } },
                "the watched table shows acme active", TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(() => { lock (followed) { return followed.ToString().Contains("customer.added", StringComparison.Ordinal); } },
                "the tail shows the journal so far", TimeSpan.FromSeconds(30));

            Assert.Equal(0, (await node.CliAsync("pause", "acme")).ExitCode);

            await Eventually.TrueAsync(() => { lock (watched) { return watched.ToString().Contains("Paused", StringComparison.Ordinal); } },
                "the watched table shows acme paused", TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(() => { lock (followed) { return followed.ToString().Contains("paused by an operator", StringComparison.Ordinal); } },
                "the followed tail prints the new event", TimeSpan.FromSeconds(30));
            await ArchiverProcess.TerminateAsync(watch);
            await ArchiverProcess.TerminateAsync(follow);
            Assert.Equal((143, 143), (watch.ExitCode, follow.ExitCode)); // the conventional 128 + SIGTERM: stopped as asked, not crashed
            Assert.Equal(string.Empty, await watch.StandardError.ReadToEndAsync() + await follow.StandardError.ReadToEndAsync());
        }
        finally
        {
            foreach (var process in new[] { watch, follow }.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("archiver.pipeline.parallelism=0", "archiver.pipeline.parallelism = 0: The field Parallelism must be between 1 and 1000.")]
    [InlineData("archiver.pipeline.path-template=/x/{kind}", "must contain {id}")]
    [InlineData("archiver.pipeline.poll-interval=soon", "'soon' is not a valid duration")]
    [InlineData("archiver.pipeline.path-template=/x/{id}/../../{id}.{ext}", "archiver.pipeline.path-template = \"/x/{id}/../../{id}.{ext}\": Path template '/x/{id}/../../{id}.{ext}' has a '..' component")]
    [InlineData("archiver.customers.acme.path-template=/x//{id}", "archiver.customers.acme.path-template = \"/x//{id}\": Path template '/x//{id}' has an empty component")]
    [InlineData("archiver.pipeline.parallelism=99999999999", "archiver.pipeline.parallelism = \"99999999999\" (--set): expected a whole number")]
    [InlineData("archiver.pipeline.burst=lots", "archiver.pipeline.burst = \"lots\" (--set): expected a whole number")]
    [InlineData("archiver.pipeline.rate-per-secnd=10", "did you mean archiver.pipeline.rate-per-second?")]
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
    public async Task Run_WithAnUnknownKeyInTheConfigFile_RefusesToStartNamingFileLineAndTheNearestKnownKey()
    {
        var config = Path.Combine(Work, "typo.conf");
        await File.WriteAllTextAsync(config, "archiver {\n  pipelin { burst = 3 }\n}\n");

        var result = await ArchiverProcess.RunAsync(Work, "run", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("archiver.pipelin.burst", result.Error, StringComparison.Ordinal);
        Assert.Contains("typo.conf:2", result.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean archiver.pipeline.burst?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithARelativeUriFromTheEnvironment_RefusesToStartNamingTheSetting()
    {
        var info = ArchiverProcess.StartInfo(Work, "run");
        info.Environment["ARCHIVER__DROPBOX__APIBASEURI"] = "not-a-uri";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("archiver.dropbox.api-base-uri = not-a-uri: must be an absolute http:// or https:// address", await error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAnEnvironmentVariableOfTheWrongType_RefusesToStartNamingTheSetting()
    {
        var info = ArchiverProcess.StartInfo(Work, "run");
        info.Environment["ARCHIVER__PIPELINE__PARALLELISM"] = "99999999999";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(2, process.ExitCode);
        var message = await error;
        Assert.Contains("configuration error", message, StringComparison.Ordinal);
        Assert.Contains("99999999999", message, StringComparison.Ordinal);
        Assert.Contains("parallelism", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ShippedConfigFile_ParsesBindsAndMatchesTheBuiltInDefaults()
    {
        var configuration = ArchiverConfiguration.Build(Path.Combine(AppContext.BaseDirectory, "hocon", "archiver.conf"), []);
        using var host = NodeHost.Build(configuration, minimumLevel: LogLevel.Warning);

        var pipeline = host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var (api, telemetry) = (host.Services.GetRequiredService<IOptions<ApiOptions>>().Value, host.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value);
        Assert.Equal((new ApiOptions().Bind, new ApiOptions().Port, (string?)null), (api.Bind, api.Port, api.Token));
        Assert.Equal((new TelemetryOptions().OtlpProtocol, new TelemetryOptions().ExportInterval, (Uri?)null), (telemetry.OtlpProtocol, telemetry.ExportInterval, telemetry.OtlpEndpoint));
        var defaults = new PipelineOptions();
        Assert.Equal(
            (defaults.RatePerSecond, defaults.Burst, defaults.Parallelism, defaults.PollInterval, defaults.RetryMaxDelay, defaults.PathTemplate),
            (pipeline.RatePerSecond, pipeline.Burst, pipeline.Parallelism, pipeline.PollInterval, pipeline.RetryMaxDelay, pipeline.PathTemplate));
        var (retention, retentionDefaults) = (host.Services.GetRequiredService<IOptions<RetentionOptions>>().Value, new RetentionOptions());
        Assert.Equal(
            (retentionDefaults.ArchivedItems, retentionDefaults.Events, retentionDefaults.FailureEvents, retentionDefaults.Interval, retentionDefaults.BatchSize),
            (retention.ArchivedItems, retention.Events, retention.FailureEvents, retention.Interval, retention.BatchSize));

        var akka = configuration.GetSection(ActorSystemHosting.Section).AsEnumerable(makePathsRelative: false).Where(e => e.Value is not null).ToArray();
        Assert.Equal(ActorSystemHosting.Defaults.Count, akka.Length); // every default documented, nothing else
        foreach (var (key, value) in akka)
        {
            Assert.Equal(value, ActorSystemHosting.Defaults.GetValueOrDefault(key));
        }
    }

    [Fact]
    public async Task Emulator_BoundToEveryAddress_AnswersOnLoopback_AndStopsOnSigterm()
    {
        using var emulator = Process.Start(ArchiverProcess.StartInfo(Work, "emulator", "--bind", "0.0.0.0", "--port", "0", "--account", "acme:sl.acme"))!;
        var banner = await emulator.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var address = System.Text.RegularExpressions.Regex.Match(banner ?? "", @"http://127\.0\.0\.1:\d+/").Value;
        Assert.False(string.IsNullOrEmpty(address), $"no loopback address in: {banner}");

        using var http = new HttpClient();
        using var answer = await http.PostAsync(new Uri(new Uri(address), "2/files/get_metadata"), new StringContent("{}"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode); // it answers: no token, a Dropbox-shaped refusal

        await ArchiverProcess.TerminateAsync(emulator);
        Assert.Equal(0, emulator.ExitCode);
    }

    [Theory]
    [InlineData("acme:tok:fast", "rate 'fast' is not a number")]
    [InlineData("acme:tok:20:many", "burst 'many' is not a whole number")]
    [InlineData("acme:tok:-3", "rate '-3' is not a number of calls per second")]
    [InlineData("acme", "must look like name:token[:rate[:burst]]")]
    public async Task Emulator_WithAMalformedAccount_SaysWhichArgumentAndWhatIsExpectedInOneLine(string account, string expected)
    {
        var result = await ArchiverProcess.RunAsync(Work, "emulator", "--port", "0", "--account", account);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"archiver: --account '{account}'", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_WithAUrl_EnqueuesIt_AndAMalformedUrlIsRefusedInOneLine()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri, "archiver.content.allowed-hosts = [\"127.0.0.1\"]");
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "t")).ExitCode);
        Assert.Equal(0, (await node.CliAsync("pause", "acme")).ExitCode);

        var enqueued = await node.CliAsync("enqueue", "--customer", "acme", "--external-id", "web-1", "--kind", "Sms",
            "--url", "http://127.0.0.1:1/sms-1.txt", "--occurred-at", "2026-11-24T10:00:00Z");
        var malformed = await node.CliAsync("enqueue", "--customer", "acme", "--external-id", "web-2", "--kind", "Sms",
            "--url", "not a url", "--occurred-at", "2026-11-24T10:00:00Z");

        Assert.True(enqueued.ExitCode == 0, enqueued.Output + enqueued.Error);
        Assert.Contains("Enqueued item", enqueued.Output, StringComparison.Ordinal);
        Assert.Equal(2, malformed.ExitCode);
        var line = Assert.Single(malformed.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("archiver: --url 'not a url' is not an absolute http(s) URL, e.g. https://media.example.com/call-42.wav.", line);
    }

    [Fact]
    public async Task Import_SplitsBatchesByBytes_RefusesAnOversizeLineByItsNumberAndStoresEveryOtherLine()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "t")).ExitCode);
        Assert.Equal(0, (await node.CliAsync("pause", "acme")).ExitCode);
        var source = Path.Combine(Work, "recordings", "sms.txt");
        await File.WriteAllTextAsync(source, "message");
        var lines = Enumerable.Range(1, 12).Select(i => SmsLine($"sms-{i}", source)).ToList();
        lines[4] = SmsLine("too-big", source, note: new string('x', 3_000)); // line 5
        var jsonl = Path.Combine(Work, "items.jsonl");
        await File.WriteAllLinesAsync(jsonl, lines);

        var imported = await node.CliAsync("import", jsonl, "--batch-bytes", "1024", "--json");

        Assert.True(imported.ExitCode == 3, imported.Output + imported.Error);
        using var totals = System.Text.Json.JsonDocument.Parse(imported.Output);
        Assert.Equal(11, totals.RootElement.GetProperty("created").GetInt64());
        var refused = Assert.Single(totals.RootElement.GetProperty("refused").EnumerateArray());
        Assert.Equal(5, refused.GetProperty("line").GetInt32());
        Assert.Contains("larger than a batch may be (--batch-bytes 1024)", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var shown = await node.CliAsync("customers", "show", "acme", "--json");
        Assert.Equal(11, System.Text.Json.JsonDocument.Parse(shown.Output).RootElement.GetProperty("progress").GetProperty("backlog").GetInt64());
    }

    [Fact]
    public async Task Import_OfABatchLargerThanTheApiTakes_StoresEveryLine()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "t")).ExitCode);
        Assert.Equal(0, (await node.CliAsync("pause", "acme")).ExitCode);
        var source = Path.Combine(Work, "recordings", "sms.txt");
        await File.WriteAllTextAsync(source, "message");
        var note = new string('x', 32_000);
        var jsonl = Path.Combine(Work, "items.jsonl");
        await File.WriteAllLinesAsync(jsonl, Enumerable.Range(1, 1_000).Select(i => SmsLine($"sms-{i}", source, note))); // 32 MB in one 1,000-line batch

        var imported = await node.CliAsync("import", jsonl, "--json");

        Assert.True(imported.ExitCode == 0, imported.Output + imported.Error);
        Assert.Equal(1_000, System.Text.Json.JsonDocument.Parse(imported.Output).RootElement.GetProperty("created").GetInt64());
    }

    private static string SmsLine(string id, string source, string? note = null) =>
        $$"""{"customer":"acme","externalId":"{{id}}","kind":"Sms","source":"{{source}}","occurredAt":"2026-11-24T10:00:00Z"{{(note is null ? "" : $",\"note\":\"{note}\"")}}}""";
}
