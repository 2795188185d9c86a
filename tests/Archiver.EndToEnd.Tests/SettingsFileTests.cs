using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// What the configuration file and <c>--set</c> accept: every setting under its documented kebab-case name, lists
/// included; unknown keys and values of the wrong shape are refused before anything starts, naming the key and where
/// it was written.
/// </summary>
public sealed class SettingsFileTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("archiver-settings-").FullName;

    [Fact]
    public void AListSettingInTheFile_BindsUnderItsKebabCaseName()
    {
        var configuration = ArchiverConfiguration.Build(Write("archiver.content.allowed-hosts = [localhost, media.example.com]"), [], reloadOnChange: false);

        Assert.Equal(["localhost", "media.example.com"], configuration.GetSection(ContentOptions.Section).Get<ContentOptions>()!.AllowedHosts);
    }

    [Fact]
    public void AListSettingFromSet_BindsUnderItsKebabCaseName()
    {
        var configuration = ArchiverConfiguration.Build(null, ["archiver.content.allowed-hosts.0=localhost"], reloadOnChange: false);

        Assert.Equal(["localhost"], configuration.GetSection(ContentOptions.Section).Get<ContentOptions>()!.AllowedHosts);
    }

    [Fact]
    public void ACustomerIdWithADash_KeepsItsDash_WhileItsSettingsLoseTheirs()
    {
        var configuration = ArchiverConfiguration.Build(Write("archiver.customers.acme-eu { rate-per-second = 7, buffer-per-worker = 2 }"), [], reloadOnChange: false);

        var settings = PipelineConfigurationLoader.Load(configuration).For(CustomerOf("acme-eu"));

        Assert.Equal((7d, 2 * 4), (settings.Throttle.RatePerSecond, settings.Capacity));
    }

    [Fact]
    public void AMisspelledSettingInTheFile_IsRefusedWithFileLineAndTheNearestKnownKey()
    {
        var file = Write("archiver {\n  pipeline {\n    rate-per-secnd = 10\n  }\n}\n");

        var refused = Assert.Throws<OptionsValidationException>(() => ArchiverConfiguration.Build(file, [], reloadOnChange: false));

        var failure = Assert.Single(refused.Failures);
        Assert.Contains("archiver.pipeline.rate-per-secnd", failure, StringComparison.Ordinal);
        Assert.Contains($"{file}:3", failure, StringComparison.Ordinal);
        Assert.Contains("did you mean archiver.pipeline.rate-per-second?", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledSection_IsRefusedNamingTheNearestKnownKey()
    {
        var refused = Assert.Throws<OptionsValidationException>(
            () => ArchiverConfiguration.Build(Write("archiver.pipelin { burst = 3 }"), [], reloadOnChange: false));

        Assert.Contains("did you mean archiver.pipeline.burst?", Assert.Single(refused.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSettingInACustomerBlock_IsRefused()
    {
        var refused = Assert.Throws<OptionsValidationException>(
            () => ArchiverConfiguration.Build(Write("archiver.customers.acme { colour = red }"), [], reloadOnChange: false));

        Assert.Contains("archiver.customers.acme.colour", Assert.Single(refused.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSettingFromSet_IsRefusedNamingTheNearestKnownKey()
    {
        var refused = Assert.Throws<OptionsValidationException>(
            () => ArchiverConfiguration.Build(null, ["archiver.node.max-upload=8"], reloadOnChange: false));

        var failure = Assert.Single(refused.Failures);
        Assert.Contains("archiver.node.max-upload", failure, StringComparison.Ordinal);
        Assert.Contains("--set", failure, StringComparison.Ordinal);
        Assert.Contains("did you mean archiver.node.max-uploads?", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AUriSettingThatIsNotAnAbsoluteUri_IsRefused()
    {
        var file = Write("archiver.dropbox.api-base-uri = \"not a uri\"");

        var refused = Assert.Throws<OptionsValidationException>(() => ArchiverConfiguration.Build(file, [], reloadOnChange: false));

        var failure = Assert.Single(refused.Failures);
        Assert.Contains("archiver.dropbox.api-base-uri = \"not a uri\"", failure, StringComparison.Ordinal);
        Assert.Contains($"{file}:1", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("archiver.pipeline.parallelism = 99999999999", "archiver.pipeline.parallelism = \"99999999999\"", "a whole number")]
    [InlineData("archiver.pipeline.burst = \"lots\"", "archiver.pipeline.burst = \"lots\"", "a whole number")]
    [InlineData("archiver.pipeline.rate-per-second = fast", "archiver.pipeline.rate-per-second = \"fast\"", "a number")]
    [InlineData("archiver.api.enabled = maybe", "archiver.api.enabled = \"maybe\"", "true or false")]
    [InlineData("archiver.dropbox.batch-commits = sometimes", "archiver.dropbox.batch-commits = \"sometimes\"", "one of auto, always, off")]
    [InlineData("archiver.pipeline { parallelism { a = 1 } }", "archiver.pipeline.parallelism.a", "not a group of settings")]
    public void AValueOfTheWrongTypeInTheFile_IsRefusedNamingKeyValueAndWhatIsExpected(string setting, string named, string expected)
    {
        var file = Write(setting);

        var refused = Assert.Throws<OptionsValidationException>(() => ArchiverConfiguration.Build(file, [], reloadOnChange: false));

        var failure = Assert.Single(refused.Failures);
        Assert.Contains(named, failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.Contains($"{file}:1", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySettingOtherPartsOfTheServiceRead_IsAccepted()
    {
        var file = Write("""
            archiver {
              api { token-file = "x/api.token", endpoint-file = "x/api.endpoint", token = t }
              storage.postgres.connection-string = "Host=db"
              node { address = "http://10.0.0.1:8780/", node-id = n1 }
              telemetry { otlp-endpoint = "http://127.0.0.1:4317", otlp-protocol = grpc, export-interval = 5s }
              dropbox { app-key = k, app-secret = s }
              supervision.stable-after = 1m
              customers { acme-eu { path-template = "/x/{id}.{ext}" }, empty {} }
              content { roots = [], allowed-hosts = [] }
            }
            """);

        var configuration = ArchiverConfiguration.Build(file, [], reloadOnChange: false);

        Assert.Equal("Host=db", configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!.Postgres.ConnectionString);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Write(string text)
    {
        var file = Path.Combine(_work, "archiver.conf");
        File.WriteAllText(file, text);
        return file;
    }

    private static Customer CustomerOf(string id) =>
        new(new CustomerId(id), id, CustomerState.Active, new DropboxCredentials(null), CustomerTuning.Default, DateTimeOffset.UnixEpoch);
}
