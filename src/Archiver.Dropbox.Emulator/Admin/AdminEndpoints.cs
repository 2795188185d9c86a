using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Archiver.Dropbox.Emulator.Accounts;
using Archiver.Dropbox.Emulator.Protocol;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Admin;

/// <summary>
/// Control and inspection over HTTP, for tools that run the emulator out of process:
/// <c>POST /_emulator/accounts</c>, <c>PUT /_emulator/accounts/{name}/limits</c>,
/// <c>GET /_emulator/accounts/{name}/files</c>, <c>GET /_emulator/accounts/{name}/stats</c>. The limits carry the
/// fault injection too: write time and contention shape, latency, shares of 5xx answers and dropped connections.
/// </summary>
internal sealed class AdminEndpoints(AccountRegistry accounts)
{
    public const string Prefix = "/_emulator/";
    private const string Accounts = "/_emulator/accounts";

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimEnd('/');
        var method = context.Request.Method;
        if (path == Accounts && HttpMethods.IsPost(method))
        {
            await CreateAccountAsync(context).ConfigureAwait(false);
            return;
        }

        if (!path.StartsWith(Accounts + "/", StringComparison.Ordinal))
        {
            await PlainText.SendAsync(context, StatusCodes.Status404NotFound, "Unknown emulator endpoint.").ConfigureAwait(false);
            return;
        }

        var rest = path[(Accounts.Length + 1)..];
        var slash = rest.LastIndexOf('/');
        var account = slash > 0 ? accounts.FindByName(Uri.UnescapeDataString(rest[..slash])) : null;
        if (account is null)
        {
            await PlainText.SendAsync(context, StatusCodes.Status404NotFound, "No such account or endpoint.").ConfigureAwait(false);
            return;
        }

        switch (rest[(slash + 1)..])
        {
            case "limits" when HttpMethods.IsPut(method):
                await UpdateLimitsAsync(context, account).ConfigureAwait(false);
                return;
            case "files" when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, account.Files(), AdminJsonContext.Default.IReadOnlyListEmulatorFile)
                    .ConfigureAwait(false);
                return;
            case "stats" when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, account.Stats(), AdminJsonContext.Default.AccountStats).ConfigureAwait(false);
                return;
            default:
                await PlainText.SendAsync(context, StatusCodes.Status404NotFound, "No such account or endpoint.").ConfigureAwait(false);
                return;
        }
    }

    private async Task CreateAccountAsync(HttpContext context)
    {
        var request = await ReadAsync(context, AdminJsonContext.Default.CreateAccountRequest).ConfigureAwait(false);
        if (request is not { Name: { Length: > 0 } name, AccessToken: { Length: > 0 } token })
        {
            await PlainText.SendAsync(context, StatusCodes.Status400BadRequest, "Expected JSON with a name and an accessToken.")
                .ConfigureAwait(false);
            return;
        }

        EmulatorAccount account;
        try
        {
            account = accounts.Add(name, token, request.Limits.ApplyTo(AccountLimits.Unlimited));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            await PlainText.SendAsync(context, StatusCodes.Status409Conflict, e.Message).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status201Created, AccountView.Of(account), AdminJsonContext.Default.AccountView).ConfigureAwait(false);
    }

    private static async Task UpdateLimitsAsync(HttpContext context, EmulatorAccount account)
    {
        if (await ReadAsync(context, AdminJsonContext.Default.LimitsRequest).ConfigureAwait(false) is not { } request)
        {
            await PlainText.SendAsync(context, StatusCodes.Status400BadRequest, "Expected JSON limits.").ConfigureAwait(false);
            return;
        }

        try
        {
            account.Limits = request.ApplyTo(account.Limits);
        }
        catch (ArgumentException e)
        {
            await PlainText.SendAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, AccountView.Of(account), AdminJsonContext.Default.AccountView).ConfigureAwait(false);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonBody.ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }
}
