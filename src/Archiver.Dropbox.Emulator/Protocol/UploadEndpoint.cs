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
            await PlainText.BadRequestAsync(context, Function, string.Format(null, WrongContentType, request.ContentType));
            return;
        }

        if (UploadArgHeader.TryRead(request.Headers[UploadArgHeader.Name].ToString(), out var problem) is not { } arg)
        {
            await PlainText.BadRequestAsync(context, Function, problem!);
            return;
        }

        var limits = account.Limits;
        if (limits.RejectAllWrites)
        {
            account.Counters.RateLimited();
            await ErrorJson.RateLimitedAsync(context, limits.RetryAfter, "too_many_requests");
            return;
        }

        var body = await UploadBody.ReceiveAsync(request.BodyReader, maxUploadBytes, context.RequestAborted);
        if (body.TooLarge)
        {
            await ErrorJson.RouteAsync(context, "payload_too_large");
            return;
        }

        if (arg.ContentHash is { } expected && !string.Equals(expected, body.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            await ErrorJson.RouteAsync(context, "content_hash_mismatch");
            return;
        }

        if (account.Faults.TryTakeContendedWrite())
        {
            await ErrorJson.UploadPathAsync(context, "too_many_write_operations", conflictTag: null);
            return;
        }

        switch (PathRules.Check(arg.Path))
        {
            case PathProblem.MalformedPath:
                await ErrorJson.UploadPathAsync(context, "malformed_path", conflictTag: null);
                return;
            case PathProblem.DisallowedName:
                await ErrorJson.UploadPathAsync(context, "disallowed_name", conflictTag: null);
                return;
        }

        var command = new WriteCommand(
            arg.Path, arg.Mode, arg.Autorename, arg.StrictConflict, arg.ClientModified, body.Size, body.ContentHash);
        var outcome = account.Tree.Commit(command, DropboxTimestamp.TruncateToSeconds(time.GetUtcNow()), limits.QuotaBytes);
        await AnswerAsync(context, account, outcome);
    }

    private static bool HasUploadContentType(string? contentType) =>
        string.Equals(contentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase)
        || string.Equals(contentType, "text/plain; charset=dropbox-cors-hack", StringComparison.OrdinalIgnoreCase);

    private static async Task AnswerAsync(HttpContext context, EmulatorAccount account, WriteOutcome outcome)
    {
        switch (outcome.Status)
        {
            case WriteStatus.Written or WriteStatus.Unchanged:
                if (outcome.Status == WriteStatus.Written)
                {
                    account.Counters.Write();
                }
                else
                {
                    account.Counters.UnchangedUpload();
                }

                var json = JsonBody.Begin();
                MetadataJson.WriteFile(json, outcome.Entry);
                await JsonBody.SendAsync(context, StatusCodes.Status200OK);
                return;
            case WriteStatus.FileConflict:
                await ErrorJson.UploadPathAsync(context, "conflict", "file");
                return;
            case WriteStatus.FolderConflict:
                await ErrorJson.UploadPathAsync(context, "conflict", "folder");
                return;
            case WriteStatus.FileAncestorConflict:
                await ErrorJson.UploadPathAsync(context, "conflict", "file_ancestor");
                return;
            default:
                await ErrorJson.UploadPathAsync(context, "insufficient_space", conflictTag: null);
                return;
        }
    }
}
