using System.Collections.Concurrent;
using System.Net;

namespace Archiver.Testing;

/// <summary>
/// A webhook receiver on 127.0.0.1 that records what it was sent, as each request arrives, and answers the statuses it
/// is told, then 200, after <see cref="Hold"/>. Requests are served at once, each on its own: one held does not keep the
/// next from being recorded.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _answers = new();

    public WebhookReceiver()
    {
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/hooks/archiver/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>How long each request waits for its answer once recorded. <value>The default is none.</value></summary>
    public TimeSpan Hold { get; set; } = TimeSpan.Zero;

    /// <summary>Every request, with what was (or is about to be) answered: (signature header, body, status).</summary>
    public ConcurrentQueue<(string? Signature, string Body, int Status)> Requests { get; } = new();

    /// <summary>Accepted deliveries only.</summary>
    public IReadOnlyList<(string? Signature, string Body)> Accepted =>
        [.. Requests.Where(r => r.Status is >= 200 and < 300).Select(r => (r.Signature, r.Body))];

    /// <summary>Answers these statuses to the next requests, in order.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var status = _answers.TryDequeue(out var next) ? next : 200;
            Requests.Enqueue((context.Request.Headers["X-Archiver-Signature"], body, status));
            if (Hold > TimeSpan.Zero)
            {
                await Task.Delay(Hold);
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The listener closed, or the sender gave up, while this request was under way.
        }
    }
}
