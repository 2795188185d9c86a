using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Archiver.Api;

/// <summary>
/// The most an <c>/api</c> request body may carry, enforced here rather than by Kestrel so that a body over it is
/// answered 413 with a problem document on every route: at once when its <c>Content-Length</c> says so, else as soon as
/// reading crosses the limit. Kestrel then reads and discards what is still coming (for a few seconds at most), so
/// the client, still sending, gets the answer instead of a reset connection.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    /// <summary>Bytes per request body: Kestrel's own default, now answered 413 instead of 500.</summary>
    public const long MaxBytes = 30_000_000;

    public static string Describe => MaxBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrel)
        {
            kestrel.MaxRequestBodySize = null; // counted below; Kestrel's own limit ends in an exception it cannot answer
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            await Problems.BodyTooLarge().ExecuteAsync(context);
            return;
        }

        var body = context.Request.Body;
        context.Request.Body = new LimitedBody(body, MaxBytes);
        try
        {
            await next(context);
        }
        catch (RequestBodyTooLargeException) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Problems.BodyTooLarge().ExecuteAsync(context);
        }
        finally
        {
            context.Request.Body = body;
        }
    }
}
