using System.Security.Cryptography;
using System.Text;

namespace Archiver.Api;

/// <summary>
/// Refuses every <c>/api</c> request that lacks the node's bearer token with 401 and a problem body.
/// Compares in constant time; never logs or echoes what was sent.
/// </summary>
internal sealed class BearerTokenMiddleware(RequestDelegate next, ApiToken token)
{
    private const string Scheme = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !Authorized(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send the node's API token as 'Authorization: Bearer <token>' (see archiver.api.token).").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var sent = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(sent, token.Bytes);
    }
}
