using System.Buffers;
using System.Text.Json;
using Archiver.Dropbox.Emulator.Files;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// <c>POST /2/files/upload_session/finish_batch_v2</c> (answers the entries at once) and the deprecated
/// <c>upload_session/finish_batch</c> (answers an async job id to poll with <c>finish_batch/check</c>). Every entry's
/// session must be closed; the whole batch is one commit under the account's write lock.
/// </summary>
internal sealed class FinishBatchEndpoint(TimeProvider time, bool asynchronous) : IApiEndpoint
{
    public const int MaxEntries = 1000;

    public string Function => asynchronous ? "files/upload_session/finish_batch" : "files/upload_session/finish_batch_v2";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        if (!RpcRequest.HasJsonContentType(context.Request))
        {
            await PlainText.BadRequestAsync(context, Function, string.Format(null, RpcRequest.WrongContentType, context.Request.ContentType))
                .ConfigureAwait(false);
            return;
        }

        var arg = await RpcRequest.ReadArgAsync(context, ProtocolJsonContext.Default.UploadSessionFinishBatchArg).ConfigureAwait(false);
        if (arg?.Entries is not { } entries)
        {
            await PlainText.BadRequestAsync(context, Function, "request body: could not decode input as JSON").ConfigureAwait(false);
            return;
        }

        if (entries.Count > MaxEntries)
        {
            await PlainText.BadRequestAsync(
                context, Function, $"request body: entries: list has more than {MaxEntries} items").ConfigureAwait(false);
            return;
        }

        var commits = new List<(UploadSessionCursor Cursor, ParsedUploadArg Commit)>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.Cursor is not { SessionId: not null, Offset: not null } cursor || entry.Commit is null)
            {
                await PlainText.BadRequestAsync(context, Function, "request body: entries: missing required field 'cursor' or 'commit'")
                    .ConfigureAwait(false);
                return;
            }

            if (UploadArgHeader.Validate(entry.Commit, out var problem) is not { } commit)
            {
                await PlainText.BadRequestAsync(context, Function, problem!.Replace("HTTP header \"Dropbox-API-Arg\"", "request body", StringComparison.Ordinal))
                    .ConfigureAwait(false);
                return;
            }

            commits.Add((cursor, commit));
        }

        if (account.Faults.BatchHold is { } hold)
        {
            // Dropbox finishes a commit it accepted, whether or not the caller is still there to hear the answer.
            await hold.WaitAsync().ConfigureAwait(false);
        }

        if (account.Limits is { RejectAllWrites: true } limits)
        {
            account.Counters.RateLimited();
            await ErrorJson.RateLimitedAsync(context, limits.RetryAfter, "too_many_requests").ConfigureAwait(false);
            return;
        }

        var answer = await CommitAsync(context, account, commits).ConfigureAwait(false);
        if (answer is null)
        {
            return;
        }

        if (!asynchronous)
        {
            await SendAsync(context, answer).ConfigureAwait(false);
            return;
        }

        var id = account.BatchJobs.Add(answer);
        var json = JsonBody.Begin();
        json.WriteStartObject();
        json.WriteString(".tag", "async_job_id");
        json.WriteString("async_job_id", id);
        json.WriteEndObject();
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>The complete answer (<c>{".tag":"complete","entries":[…]}</c>), or null when contention was answered.</summary>
    private async Task<byte[]?> CommitAsync(
        HttpContext context, EmulatorAccount account, List<(UploadSessionCursor Cursor, ParsedUploadArg Commit)> commits)
    {
        var gate = WriteGate.Enter(account);
        var applied = commits.Count;
        if (!gate.Admitted)
        {
            if (gate.Shape != WriteContentionShape.EntryFailure)
            {
                account.Counters.ContendedWrite(as429: gate.Shape == WriteContentionShape.RateLimit429);
                if (gate.Shape == WriteContentionShape.RateLimit429)
                {
                    await ErrorJson.RateLimitedAsync(context, TimeSpan.FromSeconds(1), "too_many_write_operations").ConfigureAwait(false);
                }
                else
                {
                    await ErrorJson.RouteAsync(context, "too_many_write_operations").ConfigureAwait(false);
                }

                return null;
            }

            // Injected: the first half (rounded down) goes through and the rest fails; a held lock fails every entry.
            applied = gate.Injected ? commits.Count / 2 : 0;
        }

        var output = new ArrayBufferWriter<byte>(256 + (commits.Count * 320));
        try
        {
            await gate.HoldAsync(account, time).ConfigureAwait(false);
            using var json = new Utf8JsonWriter(output);
            json.WriteStartObject();
            json.WriteString(".tag", "complete");
            json.WriteStartArray("entries");
            for (var i = 0; i < commits.Count; i++)
            {
                if (i >= applied)
                {
                    account.Counters.ContendedWrite(as429: false);
                    WriteFailure(json, "too_many_write_operations", null, null);
                    continue;
                }

                CommitEntry(json, account, commits[i].Cursor, commits[i].Commit);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
        finally
        {
            gate.Exit(account);
        }

        account.Counters.BatchCommit(commits.Count);
        return output.WrittenSpan.ToArray();
    }

    private void CommitEntry(Utf8JsonWriter json, EmulatorAccount account, UploadSessionCursor cursor, ParsedUploadArg commit)
    {
        if (account.Sessions.Find(cursor.SessionId!) is not { } session)
        {
            WriteFailure(json, "lookup_failed", "not_found", null);
            return;
        }

        long size;
        string hash;
        if (!session.Lock.Wait(0))
        {
            // Another call is still appending to it.
            WriteFailure(json, "lookup_failed", "not_closed", null);
            return;
        }

        try
        {
            if (!session.IsUsable)
            {
                WriteFailure(json, "lookup_failed", "not_found", null);
                return;
            }

            if (!session.Closed)
            {
                WriteFailure(json, "lookup_failed", "not_closed", null);
                return;
            }

            if (cursor.Offset != session.Size)
            {
                WriteFailure(json, "lookup_failed", "incorrect_offset", session.Size);
                return;
            }

            size = session.Size;
            hash = session.Finish();
            account.Sessions.Remove(session);
        }
        finally
        {
            session.Lock.Release();
        }

        var result = FileCommit.Apply(
            account,
            new WriteCommand(commit.Path, commit.Mode, commit.Autorename, commit.StrictConflict, commit.ClientModified, size, hash),
            time);
        if (result.ErrorTag is { } tag)
        {
            WritePathFailure(json, tag, result.ConflictTag);
            return;
        }

        MetadataJson.WriteBatchSuccess(json, result.Outcome.Entry);
    }

    /// <summary><c>{".tag":"failure","failure":{".tag":tag[, tag:{".tag":inner, correct_offset}]}}</c>.</summary>
    private static void WriteFailure(Utf8JsonWriter json, string tag, string? inner, long? correctOffset)
    {
        json.WriteStartObject();
        json.WriteString(".tag", "failure");
        json.WriteStartObject("failure");
        json.WriteString(".tag", tag);
        if (inner is not null)
        {
            json.WriteStartObject(tag);
            json.WriteString(".tag", inner);
            if (correctOffset is { } offset)
            {
                json.WriteNumber("correct_offset", offset);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A <c>path</c> failure carrying a <c>WriteError</c>.</summary>
    private static void WritePathFailure(Utf8JsonWriter json, string writeErrorTag, string? conflictTag)
    {
        json.WriteStartObject();
        json.WriteString(".tag", "failure");
        json.WriteStartObject("failure");
        json.WriteString(".tag", "path");
        json.WriteStartObject("path");
        json.WriteString(".tag", writeErrorTag);
        if (conflictTag is not null)
        {
            json.WriteStartObject(writeErrorTag);
            json.WriteString(".tag", conflictTag);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    internal static async Task SendAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = JsonBody.ContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
