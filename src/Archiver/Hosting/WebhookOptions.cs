namespace Archiver.Hosting;

/// <summary>One alert webhook (an element of <c>archiver.alerts.webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Where alerts are POSTed: an absolute http(s) URL whose host is in <c>archiver.alerts.allowed-hosts</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>The alert kinds it is sent: customer.parked, items.failed, customer.resumed, node.down.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>The key of the <c>X-Archiver-Signature</c> HMAC. Never logged or shown.</summary>
    public string? Secret { get; set; }
}
