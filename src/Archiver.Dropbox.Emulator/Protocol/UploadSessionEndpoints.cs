using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Archiver.Dropbox.Emulator.Files;
using Archiver.Dropbox.Emulator.Hashing;
using Archiver.Dropbox.Emulator.Sessions;
using Microsoft.AspNetCore.Http;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>Shared request handling of the <c>files/upload_session/*</c> routes.</summary>
internal static class UploadSessionRequests
{
    private const string WrongContentType =
        "Bad HTTP \"Content-Type\" header: \"{0}\".  Expecting one of \"application/octet-stream\", \"text/plain; charset=dropbox-cors-hack\".";

    /// <summary>The decoded argument, or null once a 400 was sent.</summary>
    public static async Task<T?> ReadArgAsync<T>(HttpContext context, string function, JsonTypeInfo<T> type)
        where T : class
    {
        var request = context.Request;
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(request.ContentType, "text/plain; charset=dropbox-cors-hack", StringComparison.OrdinalIgnoreCase))
        {
            await PlainText.BadRequestAsync(context, function, string.Format(null, WrongContentType, request.ContentType)).ConfigureAwait(false);
            return null;
        }

        var header = request.Headers[UploadArgHeader.Name].ToString();
        if (UploadArgHeader.CheckHeader(header) is { } problem)
        {
            await PlainText.BadRequestAsync(context, function, problem).ConfigureAwait(false);
            return null;
        }

        T? arg;
        try
        {
            arg = JsonSerializer.Deserialize(header, type);
        }
        catch (JsonException)
        {
            arg = null;
        }

        if (arg is null)
        {
            await PlainText.BadRequestAsync(context, function, "HTTP header \"Dropbox-API-Arg\": could not decode input as JSON")
                .ConfigureAwait(false);
        }

        return arg;
    }

    /// <summary>
    /// Hashes the body into the session. Returns the bytes received, or -1 when the body passed
    /// <paramref name="maxBytes"/> (the session's hash is then broken).
    /// </summary>
    public static async Task<long> AppendBodyAsync(
        PipeReader reader, ContentHasher hasher, long maxBytes, CancellationToken cancellationToken)
    {
        long size = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            size += buffer.Length;
            if (size > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return -1;
            }

            foreach (var segment in buffer)
            {
                hasher.Append(segment.Span);
            }

            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return size;
            }
        }
    }

    /// <summary>Appends the request body to a locked, usable session; false once an error was answered.</summary>
    public static async Task<bool> AppendAsync(
        HttpContext context, UploadSessions sessions, UploadSession session, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await ErrorJson.RouteAsync(context, "payload_too_large").ConfigureAwait(false);
            return false;
        }

        long received;
        try
        {
            received = await AppendBodyAsync(context.Request.BodyReader, session.Hasher, maxBytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch
        {
            // Part of a body was hashed: the session can no longer match what the client believes it holds.
            sessions.Remove(session);
            throw;
        }

        if (received < 0)
        {
            sessions.Remove(session);
            await ErrorJson.RouteAsync(context, "payload_too_large").ConfigureAwait(false);
            return false;
        }

        session.Size += received;
        return true;
    }
}

/// <summary><c>POST /2/files/upload_session/start</c>: opens a session, optionally with a first chunk.</summary>
internal sealed class UploadSessionStartEndpoint(long maxUploadBytes) : IApiEndpoint
{
    public string Function => "files/upload_session/start";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        var arg = await UploadSessionRequests.ReadArgAsync(context, Function, ProtocolJsonContext.Default.UploadSessionStartArg)
            .ConfigureAwait(false);
        if (arg is null)
        {
            return;
        }

        if (account.Limits is { RejectAllWrites: true } limits)
        {
            account.Counters.RateLimited();
            await ErrorJson.RateLimitedAsync(context, limits.RetryAfter, "too_many_requests").ConfigureAwait(false);
            return;
        }

        var session = account.Sessions.Start(close: false);
        await session.Lock.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (!await UploadSessionRequests.AppendAsync(context, account.Sessions, session, maxUploadBytes).ConfigureAwait(false))
            {
                return;
            }

            session.Closed = arg.Close;
        }
        finally
        {
            session.Lock.Release();
        }

        var json = JsonBody.Begin();
        json.WriteStartObject();
        json.WriteString("session_id", session.Id);
        json.WriteEndObject();
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }
}

/// <summary><c>POST /2/files/upload_session/append_v2</c>: adds a chunk at the session's current end.</summary>
internal sealed class UploadSessionAppendEndpoint(long maxUploadBytes) : IApiEndpoint
{
    public string Function => "files/upload_session/append_v2";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        var arg = await UploadSessionRequests.ReadArgAsync(context, Function, ProtocolJsonContext.Default.UploadSessionAppendArg)
            .ConfigureAwait(false);
        if (arg is null)
        {
            return;
        }

        if (arg.Cursor is not { SessionId: { } id, Offset: { } offset })
        {
            await PlainText.BadRequestAsync(context, Function, "HTTP header \"Dropbox-API-Arg\": missing required field 'cursor'")
                .ConfigureAwait(false);
            return;
        }

        if (account.Sessions.Find(id) is not { } session)
        {
            await ErrorJson.SessionLookupAsync(context, "not_found", correctOffset: null).ConfigureAwait(false);
            return;
        }

        await session.Lock.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (!session.IsUsable)
            {
                await ErrorJson.SessionLookupAsync(context, "not_found", correctOffset: null).ConfigureAwait(false);
                return;
            }

            if (session.Closed)
            {
                await ErrorJson.SessionLookupAsync(context, "closed", correctOffset: null).ConfigureAwait(false);
                return;
            }

            if (offset != session.Size)
            {
                await ErrorJson.SessionLookupAsync(context, "incorrect_offset", session.Size).ConfigureAwait(false);
                return;
            }

            if (!await UploadSessionRequests.AppendAsync(context, account.Sessions, session, maxUploadBytes).ConfigureAwait(false))
            {
                return;
            }

            session.Closed = arg.Close;
        }
        finally
        {
            session.Lock.Release();
        }

        if (account.Faults.TryTakeDroppedAppendResponse())
        {
            account.Counters.ConnectionDropped();
            context.Abort();
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = JsonBody.ContentType;
        await context.Response.WriteAsync("null", context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>POST /2/files/upload_session/finish</c>: appends a last chunk, then commits the file through the account's
/// <see cref="FileTree"/> exactly as <c>files/upload</c> does.
/// </summary>
internal sealed class UploadSessionFinishEndpoint(TimeProvider time, long maxUploadBytes) : IApiEndpoint
{
    public string Function => "files/upload_session/finish";

    public async Task HandleAsync(HttpContext context, EmulatorAccount account)
    {
        var arg = await UploadSessionRequests.ReadArgAsync(context, Function, ProtocolJsonContext.Default.UploadSessionFinishArg)
            .ConfigureAwait(false);
        if (arg is null)
        {
            return;
        }

        if (arg.Cursor is not { SessionId: { } id, Offset: { } offset } || arg.Commit is null)
        {
            await PlainText.BadRequestAsync(context, Function, "HTTP header \"Dropbox-API-Arg\": missing required field 'cursor' or 'commit'")
                .ConfigureAwait(false);
            return;
        }

        if (UploadArgHeader.Validate(arg.Commit, out var problem) is not { } commit)
        {
            await PlainText.BadRequestAsync(context, Function, problem!).ConfigureAwait(false);
            return;
        }

        if (account.Sessions.Find(id) is not { } session)
        {
            await ErrorJson.FinishLookupAsync(context, "not_found", correctOffset: null).ConfigureAwait(false);
            return;
        }

        // Contention is decided before the session is consumed, so the same finish can be sent again.
        var gate = WriteGate.Enter(account);
        if (!gate.Admitted)
        {
            await gate.RefuseAsync(context, account, ErrorJson.FinishPathAsync).ConfigureAwait(false);
            return;
        }

        WriteResult result;
        try
        {
            long size;
            string hash;
            await session.Lock.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            try
            {
                if (!session.IsUsable)
                {
                    await ErrorJson.FinishLookupAsync(context, "not_found", correctOffset: null).ConfigureAwait(false);
                    return;
                }

                if (offset != session.Size)
                {
                    await ErrorJson.FinishLookupAsync(context, "incorrect_offset", session.Size).ConfigureAwait(false);
                    return;
                }

                if (!await UploadSessionRequests.AppendAsync(context, account.Sessions, session, maxUploadBytes).ConfigureAwait(false))
                {
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

            var command = new WriteCommand(
                commit.Path, commit.Mode, commit.Autorename, commit.StrictConflict, commit.ClientModified, size, hash);
            await gate.HoldAsync(account, time).ConfigureAwait(false);
            result = FileCommit.Apply(account, command, time);
        }
        finally
        {
            gate.Exit(account);
        }

        if (result.ErrorTag is { } tag)
        {
            await ErrorJson.FinishPathAsync(context, tag, result.ConflictTag).ConfigureAwait(false);
            return;
        }

        var json = JsonBody.Begin();
        MetadataJson.WriteFile(json, result.Outcome.Entry);
        await JsonBody.SendAsync(context, StatusCodes.Status200OK).ConfigureAwait(false);
    }
}
