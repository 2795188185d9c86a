using System.Net.Http.Headers;
using System.Text;

namespace Archiver.Core.Alerts;

/// <summary>
/// POSTs signed alerts. The <see cref="HttpClient"/> given must not follow redirects (a receiver cannot send alerts, or
/// their signature, elsewhere) and must have a timeout: a receiver that hangs is a failed delivery, retried later.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time)
{
    public async Task<DeliveryOutcome> SendAsync(AlertWebhook webhook, AlertBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(body);
        var json = body.ToJson();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(webhook.Secret.Reveal, time.GetUtcNow(), json));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new DeliveryOutcome(response.IsSuccessStatusCode, status, $"HTTP {status}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, ex is TaskCanceledException ? "timed out" : ex.Message);
        }
    }
}
