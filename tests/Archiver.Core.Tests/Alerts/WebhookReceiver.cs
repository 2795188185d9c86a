using System.Collections.Concurrent;
using System.Net;
using Archiver.Testing;

namespace Archiver.Core.Tests.Alerts;

/// <summary>A webhook receiver on 127.0.0.1 that records what it was sent and answers the statuses it is told, then 200.</summary>
internal sealed class WebhookReceiver : IDisposable
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

    /// <summary>Every request, with what was answered: (signature header, body, status).</summary>
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

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var status = _answers.TryDequeue(out var next) ? next : 200;
            Requests.Enqueue((context.Request.Headers["X-Archiver-Signature"], body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}
