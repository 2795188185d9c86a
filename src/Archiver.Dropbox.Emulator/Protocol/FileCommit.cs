using System.IO.Pipelines;
using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Commits a received file into the account's tree and answers as Dropbox does. <c>files/upload</c>,
/// <c>upload_session/finish</c> and each entry of a batch commit share all of it; they differ only in the shape of
/// their write errors.
/// </summary>
internal static class FileCommit
{
    /// <summary>Writes a 409 write error in the calling route's shape.</summary>
    public delegate ValueTask<FlushResult> PathError(HttpContext context, string writeErrorTag, string? conflictTag);

    /// <summary>Takes the write lock (or answers contention), commits, and answers.</summary>
    public static async Task CommitAsync(
        HttpContext context, EmulatorAccount account, WriteCommand command, TimeProvider time, PathError pathError)
    {
        var gate = WriteGate.Enter(account);
        if (!gate.Admitted)
        {
            await gate.RefuseAsync(context, account, pathError).ConfigureAwait(false);
            return;
        }

        WriteResult result;
        try
        {
            await gate.HoldAsync(account, time).ConfigureAwait(false);
            result = Apply(account, command, time);
        }
        finally
        {
            gate.Exit(account);
        }

        await AnswerAsync(context, result, pathError).ConfigureAwait(false);
    }

    /// <summary>Commits with the write lock already taken; counts the outcome.</summary>
    public static WriteResult Apply(EmulatorAccount account, WriteCommand command, TimeProvider time)
    {
        switch (PathRules.Check(command.Path))
        {
            case PathProblem.MalformedPath:
                return new("malformed_path", null, default);
            case PathProblem.DisallowedName:
                return new("disallowed_name", null, default);
        }

        var outcome = account.Tree.Commit(
            command, DropboxTimestamp.TruncateToSeconds(time.GetUtcNow()), account.Limits.QuotaBytes);
        switch (outcome.Status)
        {
            case WriteStatus.Written:
                account.Counters.Write();
                return new(null, null, outcome);
            case WriteStatus.Unchanged:
                account.Counters.UnchangedUpload();
                return new(null, null, outcome);
            case WriteStatus.FileConflict:
                return new("conflict", "file", default);
            case WriteStatus.FolderConflict:
                return new("conflict", "folder", default);
            case WriteStatus.FileAncestorConflict:
                return new("conflict", "file_ancestor", default);
            default:
                return new("insufficient_space", null, default);
        }
    }

    private static async Task AnswerAsync(HttpContext context, WriteResult result, PathError pathError)
    {
        if (result.ErrorTag is { } tag)
        {
            await pathError(context, tag, result.ConflictTag).ConfigureAwait(false);
            return;
        }

        var json = JsonBody.Begin();
        MetadataJson.WriteFile(json, result.Outcome.Entry);
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }
}
