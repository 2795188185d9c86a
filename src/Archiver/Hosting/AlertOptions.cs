using System.ComponentModel.DataAnnotations;
using Archiver.Core.Alerts;
using Archiver.Core.Customers;

namespace Archiver.Hosting;

/// <summary>
/// Webhooks told when a customer needs a person (configuration section <c>archiver:alerts</c>). Checked at start: each
/// webhook's URL must be absolute http(s) with a host in <see cref="AllowedHosts"/> (the same confinement as content
/// sources' hosts), its events known, its secret set.
/// </summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "archiver:alerts";

    /// <summary>Where alerts go. <value>The default is none: no alerts are sent.</value></summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Hosts webhooks may be on (exact names). <value>The default is none: every webhook is refused.</value></summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The window over which one customer's failed items become one alert. <value>The default value is 1 minute.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan FailedItemsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the journal is looked at for new alerts. <value>The default value is 2 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait after a receiver refused an alert; doubles per failure in a row. <value>The default value is 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts. <value>The default value is 10 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest time one POST may take. <value>The default value is 10 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public AlertSettings Settings => new(FailedItemsInterval, PollInterval, RetryBaseDelay, RetryMaxDelay);

    /// <summary>The configured webhooks, valid as <see cref="Validate"/> checked them, keyed by their masked URL.</summary>
    public IReadOnlyList<AlertWebhook> ToWebhooks() =>
    [
        .. Webhooks.Select(w => new AlertWebhook(
            UriCredentials.Mask(w.Url!), w.Url!, new HashSet<string>(w.Events, StringComparer.Ordinal), new Secret(w.Secret!))),
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var webhook = Webhooks[i];
            var key = $"webhooks.{i}";
            if (webhook.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return Problem($"{key}.url", webhook.Url is null ? "(unset)" : UriCredentials.Mask(webhook.Url.OriginalString),
                    "must be an absolute http:// or https:// address");
            }
            else if (!AllowedHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
            {
                yield return Problem($"{key}.url", UriCredentials.Mask(url),
                    $"host '{url.Host}' is not in archiver.alerts.allowed-hosts ({string.Join(", ", AllowedHosts.DefaultIfEmpty("none"))})");
            }

            if (webhook.Events.Count == 0)
            {
                yield return Problem($"{key}.events", "[]", $"name at least one of {string.Join(", ", AlertKinds.All)}");
            }

            foreach (var unknown in webhook.Events.Where(e => !AlertKinds.All.Contains(e, StringComparer.Ordinal)))
            {
                yield return Problem($"{key}.events", unknown, $"unknown event; expected one of {string.Join(", ", AlertKinds.All)}");
            }

            if (string.IsNullOrWhiteSpace(webhook.Secret))
            {
                yield return Problem($"{key}.secret", "(unset)", "a webhook needs a secret to sign its alerts with");
            }
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("must not be shorter than archiver.alerts.retry-base-delay.", [nameof(RetryMaxDelay)]);
        }
    }

    /// <summary>A problem with an element of a list, named by its full key (the validator names only top-level properties).</summary>
    private static ValidationResult Problem(string key, string value, string message) =>
        new($"archiver.alerts.{key} = {value}: {message}.", [nameof(Webhooks)]);
}
