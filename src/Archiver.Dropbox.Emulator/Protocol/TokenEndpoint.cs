using System.Text;
using System.Text.Json;
using Archiver.Dropbox.Emulator.Accounts;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// <c>POST /oauth2/token</c> with <c>grant_type=refresh_token</c>: checks the app's credentials (form fields or HTTP
/// Basic) and exchanges an account's refresh token for a new short-lived access token. Errors are OAuth 2 JSON,
/// <c>{"error": "invalid_grant", "error_description": …}</c>, with status 400.
/// </summary>
internal sealed class TokenEndpoint(AccountRegistry accounts, EmulatorOptions options)
{
    public const string Path = "/oauth2/token";

    private static readonly JsonEncodedText AccessToken = JsonEncodedText.Encode("access_token");
    private static readonly JsonEncodedText TokenType = JsonEncodedText.Encode("token_type");
    private static readonly JsonEncodedText ExpiresIn = JsonEncodedText.Encode("expires_in");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText ErrorDescription = JsonEncodedText.Encode("error_description");

    public async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await PlainText.SendAsync(context, StatusCodes.Status405MethodNotAllowed, "Only POST is accepted.").ConfigureAwait(false);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await OAuthErrorAsync(context, "invalid_request", "The body must be application/x-www-form-urlencoded.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (!TryReadClient(context.Request, form, out var clientId, out var clientSecret))
        {
            await OAuthErrorAsync(context, "invalid_request", "Malformed HTTP Basic client credentials.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(clientId, options.AppKey, StringComparison.Ordinal)
            || !string.Equals(clientSecret, options.AppSecret, StringComparison.Ordinal))
        {
            await OAuthErrorAsync(context, "invalid_client", "Invalid client_id or client_secret").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(form["grant_type"].ToString(), "refresh_token", StringComparison.Ordinal))
        {
            await OAuthErrorAsync(context, "unsupported_grant_type", "grant_type must be refresh_token").ConfigureAwait(false);
            return;
        }

        var refreshToken = form["refresh_token"].ToString();
        if (refreshToken.Length == 0)
        {
            await OAuthErrorAsync(context, "invalid_request", "No refresh_token given").ConfigureAwait(false);
            return;
        }

        if (accounts.FindByRefreshToken(refreshToken) is not { } account)
        {
            await OAuthErrorAsync(context, "invalid_grant", "refresh token is invalid or revoked").ConfigureAwait(false);
            return;
        }

        var lifetime = options.AccessTokenLifetime;
        var accessToken = accounts.IssueAccessToken(account, lifetime);
        var json = JsonBody.Begin();
        json.WriteStartObject();
        json.WriteString(AccessToken, accessToken);
        json.WriteString(TokenType, "bearer");
        json.WriteNumber(ExpiresIn, (long)Math.Floor(lifetime.TotalSeconds));
        json.WriteEndObject();
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>The client's id and secret, from <c>Authorization: Basic</c> if present, else from the form.</summary>
    private static bool TryReadClient(HttpRequest request, IFormCollection form, out string clientId, out string clientSecret)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            clientId = clientSecret = string.Empty;
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    return false;
                }

                clientId = Uri.UnescapeDataString(decoded[..colon]);
                clientSecret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        clientId = form["client_id"].ToString();
        clientSecret = form["client_secret"].ToString();
        return true;
    }

    private static async Task OAuthErrorAsync(HttpContext context, string error, string description)
    {
        var json = JsonBody.Begin();
        json.WriteStartObject();
        json.WriteString(Error, error);
        json.WriteString(ErrorDescription, description);
        json.WriteEndObject();
        await JsonBody.SendAsync(context, StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }
}
