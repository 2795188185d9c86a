using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Http;
using Archiver.Dropbox.Json;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox;

/// <summary>
/// The Dropbox HTTP API v2 calls the archiver needs. Each call takes the account's access token, so one client serves
/// every customer. Failures throw a <see cref="DropboxException"/> subclass; only the caller's cancellation throws
/// <see cref="OperationCanceledException"/>. Nothing is retried here: retry policy belongs to the caller.
/// </summary>
public sealed class DropboxClient(HttpClient http, DropboxClientOptions options)
{
    /// <summary>The most sessions one batch commit may carry.</summary>
    public const int MaxBatchEntries = 1000;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>
    /// Uploads <paramref name="content"/> (at most 150 MiB) as one file, streaming it from its current position to its
    /// end. Its hash cannot be known before sending, so Dropbox is not asked to check it: compare the returned
    /// <see cref="FileMetadata.ContentHash"/> with one computed while streaming (see <see cref="HashingReadStream"/>).
    /// </summary>
    /// <param name="length">The number of bytes the stream will yield, when known; otherwise the body is chunked.</param>
    public Task<FileMetadata> UploadAsync(
        string accessToken,
        CommitInfo commit,
        Stream content,
        long? length,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(content);
        return UploadAsync(accessToken, UploadArg.From(commit, contentHash: null), content, length, cancellationToken);
    }

    /// <summary>
    /// Uploads bytes already in memory. Their hash is known up front, so Dropbox checks it and refuses a body that
    /// arrived damaged (<c>content_hash_mismatch</c>).
    /// </summary>
    public async Task<FileMetadata> UploadAsync(
        string accessToken,
        CommitInfo commit,
        ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var arg = UploadArg.From(commit, DropboxContentHasher.Compute(content.Span));
        using var stream = MemoryMarshal.TryGetArray(content, out var bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        return await UploadAsync(accessToken, arg, stream, content.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens an upload session, for files too large for one upload; returns its id.</summary>
    public async Task<string> UploadSessionStartAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var body = new StreamingUploadContent(Stream.Null, 0);
        using var request = NewRequest(options.ContentBaseUri, "2/files/upload_session/start", accessToken, body);
        request.Headers.TryAddWithoutValidation(
            ApiArgHeader.Name, ApiArgHeader.Format(new UploadSessionStartArg(Close: false)));
        var result = await SendAsync(request, DropboxJsonContext.Default.UploadSessionStartResult, cancellationToken).ConfigureAwait(false);
        return result.SessionId;
    }

    /// <summary>
    /// Appends <paramref name="length"/> bytes of <paramref name="chunk"/> to a session that holds exactly
    /// <paramref name="offset"/> bytes (else <see cref="DropboxUploadSessionException"/> with
    /// <see cref="UploadSessionErrorKind.IncorrectOffset"/> and the correct offset). At most 150 MiB per call.
    /// </summary>
    public async Task UploadSessionAppendAsync(
        string accessToken,
        string sessionId,
        long offset,
        Stream chunk,
        long length,
        bool close,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var arg = new UploadSessionAppendArg(new UploadSessionCursor(sessionId, offset), close);
        using var body = new StreamingUploadContent(chunk, length);
        using var request = NewRequest(options.ContentBaseUri, "2/files/upload_session/append_v2", accessToken, body);
        request.Headers.TryAddWithoutValidation(ApiArgHeader.Name, ApiArgHeader.Format(arg));
        try
        {
            await SendAsync(request, DropboxJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        }
        catch (DropboxTransportException) when (body.SourceFailure is { } sourceFailure)
        {
            sourceFailure.Throw();
            throw;
        }
    }

    /// <summary>
    /// Commits a session holding exactly <paramref name="offset"/> bytes as a file. Dropbox is not asked to check a
    /// hash: compare the returned <see cref="FileMetadata.ContentHash"/> with one computed while streaming.
    /// </summary>
    public Task<FileMetadata> UploadSessionFinishAsync(
        string accessToken,
        string sessionId,
        long offset,
        CommitInfo commit,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return FinishAsync();

        async Task<FileMetadata> FinishAsync()
        {
            var arg = new UploadSessionFinishArg(
                new UploadSessionCursor(sessionId, offset), UploadArg.From(commit, contentHash: null));
            using var body = new StreamingUploadContent(Stream.Null, 0);
            using var request = NewRequest(options.ContentBaseUri, "2/files/upload_session/finish", accessToken, body);
            request.Headers.TryAddWithoutValidation(ApiArgHeader.Name, ApiArgHeader.Format(arg));
            return await SendAsync(request, DropboxJsonContext.Default.FileMetadata, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens an upload session carrying <paramref name="content"/> (streamed from its current position to its end) as
    /// its first bytes; with <paramref name="close"/> the session is closed at once, ready for a batch commit. Returns
    /// the session's id.
    /// </summary>
    public async Task<string> UploadSessionStartAsync(
        string accessToken,
        Stream content,
        long? length,
        bool close,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var body = new StreamingUploadContent(content, length);
        using var request = NewRequest(options.ContentBaseUri, "2/files/upload_session/start", accessToken, body);
        request.Headers.TryAddWithoutValidation(ApiArgHeader.Name, ApiArgHeader.Format(new UploadSessionStartArg(close)));
        try
        {
            var result = await SendAsync(request, DropboxJsonContext.Default.UploadSessionStartResult, cancellationToken).ConfigureAwait(false);
            return result.SessionId;
        }
        catch (DropboxTransportException) when (body.SourceFailure is { } sourceFailure)
        {
            sourceFailure.Throw();
            throw;
        }
    }

    /// <summary>
    /// Commits up to 1,000 closed sessions in one call (<c>upload_session/finish_batch_v2</c>) and returns each
    /// entry's outcome in the order given. A failure of the whole call (429, 409, 5xx…) throws as any call does;
    /// entries that failed on their own are answered with their <see cref="FinishBatchEntryResult.Failure"/>.
    /// </summary>
    public async Task<IReadOnlyList<FinishBatchEntryResult>> UploadSessionFinishBatchV2Async(
        string accessToken,
        IReadOnlyList<FinishBatchEntry> entries,
        CancellationToken cancellationToken = default)
    {
        var answer = await CallRpcAsync(
            accessToken,
            "2/files/upload_session/finish_batch_v2",
            BatchArg(entries),
            DropboxJsonContext.Default.UploadSessionFinishBatchArg,
            DropboxJsonContext.Default.JsonElement,
            cancellationToken).ConfigureAwait(false);
        return ReadEntries(answer, entries.Count);
    }

    private async Task<FileMetadata> UploadAsync(
        string accessToken,
        UploadArg arg,
        Stream content,
        long? length,
        CancellationToken cancellationToken)
    {
        using var body = new StreamingUploadContent(content, length);
        using var request = NewRequest(options.ContentBaseUri, "2/files/upload", accessToken, body);
        request.Headers.TryAddWithoutValidation(ApiArgHeader.Name, ApiArgHeader.Format(arg));
        try
        {
            return await SendAsync(request, DropboxJsonContext.Default.FileMetadata, cancellationToken).ConfigureAwait(false);
        }
        catch (DropboxTransportException) when (body.SourceFailure is { } sourceFailure)
        {
            // Reading the caller's stream failed, not the network: surface the caller's own exception.
            sourceFailure.Throw();
            throw;
        }
    }

    private async Task<TResult> CallRpcAsync<TArg, TResult>(
        string accessToken,
        string route,
        TArg arg,
        JsonTypeInfo<TArg> argType,
        JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(arg, argType));
        body.Headers.ContentType = JsonMediaType;
        using var request = NewRequest(options.ApiBaseUri, route, accessToken, body);
        return await SendAsync(request, resultType, cancellationToken).ConfigureAwait(false);
    }

    private static HttpRequestMessage NewRequest(Uri baseUri, string route, string accessToken, HttpContent body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        return new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, route))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", accessToken) },
            Content = body,
        };
    }

    private async Task<TResult> SendAsync<TResult>(
        HttpRequestMessage request,
        JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken)
    {
        var route = request.RequestUri!.AbsolutePath;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await DropboxErrorReader.ReadAsync(response, timeout.Token).ConfigureAwait(false);
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadResultAsync(response, stream, resultType, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new DropboxTransportException($"Dropbox did not answer {route} within {options.RequestTimeout}.", e);
        }
        catch (HttpRequestException e)
        {
            throw new DropboxTransportException($"Could not reach Dropbox for {route}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DropboxTransportException($"The connection to Dropbox broke during {route}: {e.Message}", e);
        }
    }

    private static async Task<TResult> ReadResultAsync<TResult>(
        HttpResponseMessage response,
        Stream stream,
        JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, resultType, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("The response body was null.");
        }
        catch (JsonException e)
        {
            throw new DropboxUnexpectedResponseException(
                response.StatusCode,
                $"Dropbox's answer could not be read: {e.Message}",
                DropboxErrorReader.RequestIdOf(response),
                errorSummary: null,
                e);
        }
    }

    private static UploadSessionFinishBatchArg BatchArg(IReadOnlyList<FinishBatchEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfZero(entries.Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries.Count, MaxBatchEntries);
        return new UploadSessionFinishBatchArg(
        [
            .. entries.Select(e => new UploadSessionFinishArg(
                new UploadSessionCursor(e.SessionId, e.Offset), UploadArg.From(e.Commit, contentHash: null))),
        ]);
    }

    private static List<FinishBatchEntryResult> ReadEntries(JsonElement answer, int expected)
    {
        var entries = StoneTags.Member(answer, "entries");
        if (entries.ValueKind != JsonValueKind.Array || entries.GetArrayLength() != expected)
        {
            throw Unreadable($"a batch answer without one entry per commit (expected {expected})");
        }

        var results = new List<FinishBatchEntryResult>(entries.GetArrayLength());
        foreach (var entry in entries.EnumerateArray())
        {
            switch (StoneTags.Of(entry))
            {
                case "success":
                    FileMetadata? file;
                    try
                    {
                        file = entry.Deserialize(DropboxJsonContext.Default.FileMetadata);
                    }
                    catch (JsonException e)
                    {
                        throw Unreadable($"a batch entry that is not file metadata ({e.Message})");
                    }

                    results.Add(new FinishBatchEntryResult(file ?? throw Unreadable("a null batch entry"), null));
                    break;
                case "failure":
                    results.Add(new FinishBatchEntryResult(
                        null, DropboxErrorReader.RouteError(StoneTags.Member(entry, "failure"), requestId: null, summary: null)));
                    break;
                default:
                    throw Unreadable($"a batch entry tagged '{StoneTags.Of(entry)}'");
            }
        }

        return results;
    }

    private static DropboxUnexpectedResponseException Unreadable(string what) =>
        new(System.Net.HttpStatusCode.OK, $"Dropbox's answer could not be read: {what}.", requestId: null, errorSummary: null);
}
