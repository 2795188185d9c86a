using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Dropbox's plain-text answers: 400s for malformed requests, and the odd 404/405/5xx.</summary>
internal static class PlainText
{
    public static Task SendAsync(HttpContext context, int statusCode, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    /// <summary>A 400 worded as Dropbox words them: <c>Error in call to API function "files/upload": …</c>.</summary>
    public static Task BadRequestAsync(HttpContext context, string function, string detail) =>
        SendAsync(context, StatusCodes.Status400BadRequest, $"Error in call to API function \"{function}\": {detail}");
}
