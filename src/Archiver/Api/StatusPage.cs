using System.Reflection;

namespace Archiver.Api;

/// <summary>
/// The status page: HTML, script and style embedded in the executable, served without a token (the page itself
/// asks for one and sends it only to <c>/api</c>, from the URL fragment or a form, never in a URL the server sees).
/// </summary>
internal static class StatusPage
{
    private static readonly Assembly Assembly = typeof(StatusPage).Assembly;

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["/"] = ("Archiver.StatusPage.index.html", "text/html; charset=utf-8"),
        ["/status.js"] = ("Archiver.StatusPage.status.js", "text/javascript; charset=utf-8"),
        ["/status.css"] = ("Archiver.StatusPage.status.css", "text/css; charset=utf-8"),
    };

    public static void Map(WebApplication app)
    {
        foreach (var (path, (resource, contentType)) in Assets)
        {
            app.MapGet(path, (HttpContext context) =>
            {
                var stream = Assembly.GetManifestResourceStream(resource);
                if (stream is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, detail: $"Missing resource {resource}.");
                }

                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["Content-Security-Policy"] =
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Results.Stream(stream, contentType);
            });
        }
    }
}
