using Archiver.Core.Alerts;
using Archiver.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Api.Tests;

/// <summary><c>archiver.alerts</c> is checked before a node starts, each problem named by its key, secrets never shown.</summary>
public sealed class AlertSettingsTests
{
    private const string Secret = "whsec-do-not-show";

    [Theory]
    [InlineData("ftp://hooks.example.com/archiver", "archiver.alerts.webhooks.0.url", "absolute http:// or https://")]
    [InlineData("https://evil.example.net/archiver", "archiver.alerts.webhooks.0.url", "host 'evil.example.net' is not in archiver.alerts.allowed-hosts")]
    public void Webhook_WithABadUrl_IsRefusedAtStart_NamingTheKey(string url, string key, string expected)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Build(url, "customer.parked"));

        var problem = Assert.Single(refused.Failures);
        Assert.StartsWith(key + " = ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_WithAMalformedUrl_IsRefusedNamingTheKey()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Build("not a url", "customer.parked"));

        Assert.Contains("archiver.alerts.webhooks.0.url", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_WithAnUnknownEvent_IsRefusedNamingTheKeyAndTheKnownOnes()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Build("https://hooks.example.com/archiver", "customer.parked", "customer.exploded"));

        var problem = Assert.Single(refused.Failures);
        Assert.StartsWith("archiver.alerts.webhooks.0.events = customer.exploded: unknown event", problem, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", AlertKinds.All), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_WithoutASecret_IsRefused()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Build("https://hooks.example.com/archiver", ["customer.parked"], secret: null));

        Assert.StartsWith("archiver.alerts.webhooks.0.secret", Assert.Single(refused.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_OnAnAllowedHost_Binds_WithItsCredentialsMaskedInItsName()
    {
        using var host = Build("https://user:pass@hooks.example.com/archiver", "customer.parked", "items.failed");

        var webhook = Assert.Single(host.Services.GetRequiredService<IOptions<AlertOptions>>().Value.ToWebhooks());
        Assert.Equal("https://***@hooks.example.com/archiver", webhook.Name);
        Assert.Equal(["customer.parked", "items.failed"], webhook.Events.Order(StringComparer.Ordinal));
        Assert.Equal("***", webhook.Secret.ToString());
        Assert.Equal(Secret, webhook.Secret.Reveal);
    }

    private static IHost Build(string url, params string[] events) => Build(url, events, Secret);

    private static IHost Build(string url, string[] events, string? secret)
    {
        var settings = new List<string>
        {
            $"archiver.alerts.webhooks.0.url={url}",
            "archiver.alerts.allowed-hosts.0=hooks.example.com",
            $"archiver.storage.sqlite-path={Path.Combine(Path.GetTempPath(), "never.db")}",
        };
        settings.AddRange(events.Select((e, i) => $"archiver.alerts.webhooks.0.events.{i}={e}"));
        if (secret is not null)
        {
            settings.Add($"archiver.alerts.webhooks.0.secret={secret}");
        }

        return NodeHost.Build(ArchiverConfiguration.Build(configFile: null, settings, reloadOnChange: false), minimumLevel: LogLevel.Warning);
    }
}
