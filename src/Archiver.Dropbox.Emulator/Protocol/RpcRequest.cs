using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Reading an RPC route's JSON argument from the request body.</summary>
internal static class RpcRequest
{
    public const string WrongContentType =
        "Bad HTTP \"Content-Type\" header: \"{0}\".  Expecting one of \"application/json\", \"text/plain; charset=dropbox-cors-hack\".";

    public static bool HasJsonContentType(HttpRequest request)
    {
        var contentType = request.ContentType.AsSpan();
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Equals("text/plain; charset=dropbox-cors-hack", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The argument, or null when the body is not JSON of the argument's shape.</summary>
    public static async Task<T?> ReadArgAsync<T>(HttpContext context, JsonTypeInfo<T> argType)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, argType, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
