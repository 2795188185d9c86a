namespace Archiver.Hosting;

/// <summary>The HTTP client alerts are POSTed with: no redirects followed (the host was vetted, its redirect is not), a timeout per POST.</summary>
internal static class AlertHttp
{
    public static HttpClient Client(AlertOptions options) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.RequestTimeout,
        };
}
