using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// <c>POST /2/files/upload</c>: validates the request, receives the body while hashing it (no bytes are kept),
/// then commits the file's metadata through the account's <see cref="FileTree"/>.
/// </summary>
internal sealed class UploadEndpoint(TimeProvider time, long maxUploadBytes) : IApiEndpoint
{
    private const string WrongContentType =
        "Bad HTTP \"Content-Type\" header: \"{0}\".  Expecting one of \"application/octet-stream\", \"text/plain; charset=dropbox-cors-hack\".";

    public string Function => "files/upload";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        var request = context.Request;
        if (!HasUploadContentType(request.ContentType))
        {
            await PlainText.BadRequestAsync(context, Function, string.Format(null, WrongContentType, request.ContentType)).ConfigureAwait(false);
            return;
        }

        if (UploadArgHeader.TryRead(request.Headers[UploadArgHeader.Name].ToString(), out var problem) is not { } arg)
        {
            await PlainText.BadRequestAsync(context, Function, problem!).ConfigureAwait(false);
            return;
        }

        var limits = account.Limits;
        if (limits.RejectAllWrites)
        {
            account.Counters.RateLimited();
            await ErrorJson.RateLimitedAsync(context, limits.RetryAfter, "too_many_requests").ConfigureAwait(false);
            return;
        }

        var body = await UploadBody.ReceiveAsync(request.BodyReader, maxUploadBytes, context.RequestAborted).ConfigureAwait(false);
        if (body.TooLarge)
        {
            await ErrorJson.RouteAsync(context, "payload_too_large").ConfigureAwait(false);
            return;
        }

        if (arg.ContentHash is { } expected && !string.Equals(expected, body.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            await ErrorJson.RouteAsync(context, "content_hash_mismatch").ConfigureAwait(false);
            return;
        }

        var command = new WriteCommand(
            arg.Path, arg.Mode, arg.Autorename, arg.StrictConflict, arg.ClientModified, body.Size, body.ContentHash);
        await FileCommit.CommitAsync(context, account, command, time, ErrorJson.UploadPathAsync).ConfigureAwait(false);
    }

    private static bool HasUploadContentType(string? contentType) =>
        string.Equals(contentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase)
        || string.Equals(contentType, "text/plain; charset=dropbox-cors-hack", StringComparison.OrdinalIgnoreCase);
}
