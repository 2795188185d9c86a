using System.IO.Pipelines;
using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Commits a received file into the account's tree and answers as Dropbox does. <c>files/upload</c> and
/// <c>upload_session/finish</c> share all of it; they differ only in the shape of their 409 write errors.
/// </summary>
internal static class FileCommit
{
    /// <summary>Writes a 409 write error in the calling route's shape.</summary>
    public delegate ValueTask<FlushResult> PathError(HttpContext context, string writeErrorTag, string? conflictTag);

    public static async Task CommitAsync(
        HttpContext context, EmulatorAccount account, WriteCommand command, DateTimeOffset now, long? quotaBytes, PathError pathError)
    {
        if (account.Faults.TryTakeContendedWrite())
        {
            await pathError(context, "too_many_write_operations", conflictTag: null);
            return;
        }

        switch (PathRules.Check(command.Path))
        {
            case PathProblem.MalformedPath:
                await pathError(context, "malformed_path", conflictTag: null);
                return;
            case PathProblem.DisallowedName:
                await pathError(context, "disallowed_name", conflictTag: null);
                return;
        }

        var outcome = account.Tree.Commit(command, now, quotaBytes);
        switch (outcome.Status)
        {
            case WriteStatus.Written:
                account.Counters.Write();
                await AnswerFileAsync(context, outcome);
                return;
            case WriteStatus.Unchanged:
                account.Counters.UnchangedUpload();
                await AnswerFileAsync(context, outcome);
                return;
            case WriteStatus.FileConflict:
                await pathError(context, "conflict", "file");
                return;
            case WriteStatus.FolderConflict:
                await pathError(context, "conflict", "folder");
                return;
            case WriteStatus.FileAncestorConflict:
                await pathError(context, "conflict", "file_ancestor");
                return;
            default:
                await pathError(context, "insufficient_space", conflictTag: null);
                return;
        }
    }

    private static async Task AnswerFileAsync(HttpContext context, WriteOutcome outcome)
    {
        var json = JsonBody.Begin();
        MetadataJson.WriteFile(json, outcome.Entry);
        await JsonBody.SendAsync(context, StatusCodes.Status200OK);
    }
}
