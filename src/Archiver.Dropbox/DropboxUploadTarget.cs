using System.Buffers;
using System.Collections.Concurrent;
using Archiver.Core;
using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Uploads;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Batching;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox;

/// <summary>
/// Archives an item into its customer's Dropbox. The content is hashed while it streams and an upload only counts
/// once Dropbox holds exactly those bytes. Never overwrites: identical content already at the path is accepted as
/// archived; different content is a permanent conflict, or, for a customer whose conflict policy is
/// <see cref="ConflictPolicy.Autorename"/>, stored beside it under the name Dropbox picks.
/// </summary>
/// <remarks>
/// A customer with a refresh token is served short-lived access tokens by <paramref name="tokenSource"/> (when one is
/// given); a customer with only an access token uses it as it is. When Dropbox answers <c>expired_access_token</c>
/// the token is refreshed once: a seekable content stream is rewound and uploaded again, a forward-only one cannot
/// be, so the item is reported as a transient failure for the pipeline to retry with the new token.
/// <para>
/// With batch commits (the default, <paramref name="batching"/>) the content goes up into a closed upload session (one
/// <c>upload_session/start</c> carrying all of it, or chunked appends for large content) and the commit goes to the
/// customer's <see cref="BatchCommitter"/>: one <c>finish_batch_v2</c> in flight per customer carrying everything
/// that finished meanwhile. Without, small content goes up in one <c>files/upload</c>. With
/// <see cref="BatchCommitOptions.OnlyUnderContention"/> a customer uploads one call per file until Dropbox reports
/// write contention for it, and batches while contention lasts.
/// </para>
/// <para>
/// Content of known length above <paramref name="sessionThreshold"/> bytes goes through an upload session instead:
/// it is read in <see cref="SessionChunkSize"/> chunks into one reused buffer, so memory stays flat however large the
/// file, and is hashed as it is read exactly as for a single upload.
/// </para>
/// </remarks>
public sealed class DropboxUploadTarget(
    DropboxClient client,
    TimeProvider timeProvider,
    DropboxTokenSource? tokenSource = null,
    long sessionThreshold = DropboxUploadTarget.DefaultSessionThreshold,
    BatchCommitOptions? batching = null) : IUploadTarget, IAsyncDisposable
{
    /// <summary>The reason given when an expired token was refreshed but the content could not be sent again.</summary>
    public const string RefreshedReason = "access token expired; refreshed";

    /// <summary>Content longer than this is sent through an upload session by default.</summary>
    public const long DefaultSessionThreshold = 32L * 1024 * 1024;

    /// <summary>The largest body Dropbox accepts in one request; longer content always uses a session.</summary>
    public const long MaxSingleUploadBytes = 150L * 1024 * 1024;

    /// <summary>The bytes sent per <c>append_v2</c>: a multiple of Dropbox's 4 MiB hash block.</summary>
    public const int SessionChunkSize = 8 * 1024 * 1024;

    /// <summary>How often a chunk is sent again after a transient failure before the upload gives up.</summary>
    public const int ChunkRetries = 3;

    /// <summary>Single commits refused for write contention that are sent again before the item is given back.</summary>
    public const int SingleCommitContentionRetries = 5;

    private static readonly TimeSpan ChunkRetryBase = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ChunkRetryMax = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ContentionBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ContentionMax = TimeSpan.FromSeconds(30);

    private readonly long _sessionThreshold = ValidThreshold(sessionThreshold);
    private readonly BatchCommitOptions _batching = (batching ?? BatchCommitOptions.Default).Validated();
    private readonly ConcurrentDictionary<CustomerId, BatchCommitter> _committers = new();
    private readonly ConcurrentDictionary<CustomerId, DateTimeOffset> _contendedUntil = new();
    private readonly CancellationTokenSource _lifetime = new();

    public async Task<UploadResult> UploadAsync(UploadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = request.Customer.Dropbox;
        var refreshToken = tokenSource is not null ? credentials.RefreshToken : null;
        if (refreshToken is null && credentials.AccessToken is null)
        {
            return new UploadResult.CustomerBlocked(
                CustomerState.NeedsReauth,
                credentials.RefreshToken is null
                    ? "The customer has no Dropbox access token; it must be connected again."
                    : "The customer has only a Dropbox refresh token and no Dropbox app is configured to use it.");
        }

        var commit = new CommitInfo(request.Path)
        {
            Mode = WriteMode.Add,
            Autorename = request.Customer.Tuning.ConflictPolicy == ConflictPolicy.Autorename,
            StrictConflict = false,
            Mute = true,
            ClientModified = ClientModified(request.Item),
        };

        var source = request.Content.Stream;
        long? start = source.CanSeek ? source.Position : null;
        try
        {
            var accessToken = refreshToken is { } rt
                ? await tokenSource!.GetAccessTokenAsync(rt, cancellationToken).ConfigureAwait(false)
                : credentials.AccessToken!.Value.Reveal;
            try
            {
                return await UploadOnceAsync(accessToken, commit, request, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxAuthException e) when (e.Kind == AuthErrorKind.ExpiredAccessToken && refreshToken is { } expired)
            {
                tokenSource!.Invalidate(expired, accessToken);
                var renewed = await tokenSource.GetAccessTokenAsync(expired, cancellationToken).ConfigureAwait(false);
                if (start is not { } position)
                {
                    return new UploadResult.Transient(RefreshedReason, CountsAsAttempt: false); // the token is fresh now
                }

                source.Position = position;
                try
                {
                    return await UploadOnceAsync(renewed, commit, request, cancellationToken).ConfigureAwait(false);
                }
                catch (DropboxAuthException again) when (again.Kind == AuthErrorKind.ExpiredAccessToken)
                {
                    // Refreshed once already; a token expired on arrival is for a later attempt, not a reconnect.
                    tokenSource.Invalidate(expired, renewed);
                    return new UploadResult.Transient(RefreshedReason);
                }
            }
        }
        catch (DropboxException e)
        {
            return UploadFailureMapping.ToResult(e, request.Path);
        }
        catch (ContentUnavailableException e)
        {
            return e.IsPermanent
                ? new UploadResult.Permanent(e.Message)
                : new UploadResult.Transient(e.Message);
        }
        catch (IOException e)
        {
            return new UploadResult.Transient($"The item's content could not be read: {e.Message}");
        }
    }

    /// <summary>Stops every customer's batch committer; entries still waiting are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    /// <summary>
    /// Sends and commits once. A single commit refused for write contention is sent again after a backoff when the
    /// content can be rewound; contention never reaches the pipeline as rate limiting.
    /// </summary>
    private async Task<UploadResult> UploadOnceAsync(
        string accessToken, CommitInfo commit, UploadRequest request, CancellationToken cancellationToken)
    {
        var source = request.Content.Stream;
        long? start = source.CanSeek ? source.Position : null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(accessToken, commit, request, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxException e) when (BatchCommitter.IsContention(e) && MarkContended(request.Customer.Id)
                && start is { } position && attempt < SingleCommitContentionRetries)
            {
                await Task.Delay(Backoff.After(attempt + 1, ContentionBase, ContentionMax), timeProvider, cancellationToken)
                    .ConfigureAwait(false);
                source.Position = position;
            }
        }
    }

    /// <summary>Whether this customer's next file goes through a batch commit.</summary>
    private bool BatchesNow(CustomerId customer) =>
        _batching.Enabled
        && (!_batching.OnlyUnderContention || (_contendedUntil.TryGetValue(customer, out var until) && timeProvider.GetUtcNow() < until));

    /// <summary>Notes write contention for the customer (so it batches for a while); always true, for use in a filter.</summary>
    private bool MarkContended(CustomerId customer)
    {
        _contendedUntil[customer] = timeProvider.GetUtcNow() + _batching.ContentionWindow;
        return true;
    }

    private async Task<UploadResult> SendOnceAsync(
        string accessToken, CommitInfo commit, UploadRequest request, CancellationToken cancellationToken)
    {
        var content = new HashingReadStream(request.Content.Stream, leaveOpen: true);
        await using (content.ConfigureAwait(false))
        {
            var large = request.Content.Length is { } length && length > _sessionThreshold;
            if (BatchesNow(request.Customer.Id))
            {
                var (sessionId, offset) = large
                    ? await UploadChunksAsync(accessToken, content, request.Content.Length!.Value, cancellationToken).ConfigureAwait(false)
                    : (await client.UploadSessionStartAsync(accessToken, content, request.Content.Length, close: true, cancellationToken)
                            .ConfigureAwait(false),
                        content.BytesRead);
                var committer = _committers.GetOrAdd(
                    request.Customer.Id, id => new BatchCommitter(client, timeProvider, _batching, () => MarkContended(id), _lifetime.Token));
                var committed = await committer.CommitAsync(new FinishBatchEntry(sessionId, offset, commit), accessToken, cancellationToken)
                    .ConfigureAwait(false);
                return Verified(committed, content);
            }

            if (large)
            {
                var (sessionId, offset) = await UploadChunksAsync(accessToken, content, length: null, cancellationToken).ConfigureAwait(false);
                var finished = await client.UploadSessionFinishAsync(accessToken, sessionId, offset, commit, cancellationToken)
                    .ConfigureAwait(false);
                return Verified(finished, content);
            }

            var file = await client.UploadAsync(accessToken, commit, content, request.Content.Length, cancellationToken).ConfigureAwait(false);
            return Verified(file, content);
        }
    }

    private static long ValidThreshold(long threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, MaxSingleUploadBytes);
        return threshold;
    }

    /// <summary>
    /// Streams the content into a new upload session, one chunk at a time from a single pooled buffer. With a known
    /// <paramref name="length"/> the last chunk closes the session (ready for a batch commit); an empty closing append
    /// follows when the stream ended early. Returns the session and the bytes it holds; the stream is read to its end,
    /// so its hash is known.
    /// </summary>
    private async Task<(string SessionId, long Offset)> UploadChunksAsync(
        string accessToken, HashingReadStream content, long? length, CancellationToken cancellationToken)
    {
        var sessionId = await client.UploadSessionStartAsync(accessToken, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(SessionChunkSize);
        try
        {
            long offset = 0;
            var closed = false;
            int filled;
            while ((filled = await FillAsync(content, buffer, SessionChunkSize, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var close = length is { } total && offset + filled >= total;
                await AppendChunkAsync(accessToken, sessionId, offset, buffer, filled, close, cancellationToken).ConfigureAwait(false);
                offset += filled;
                closed = close;
            }

            if (length is not null && !closed)
            {
                await AppendChunkAsync(accessToken, sessionId, offset, buffer, 0, close: true, cancellationToken).ConfigureAwait(false);
            }

            return (sessionId, offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Appends one chunk. A transient failure sends it again from the buffer (up to <see cref="ChunkRetries"/>
    /// times, after an exponential, jittered backoff); <c>incorrect_offset</c> tells whether a chunk whose answer was lost landed (continue) or not (send
    /// again); any other offset means the session no longer matches what was sent, which is fatal.
    /// </summary>
    private async Task AppendChunkAsync(
        string accessToken, string sessionId, long offset, byte[] buffer, int length, bool close, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(Backoff.After(attempt, ChunkRetryBase, ChunkRetryMax), timeProvider, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                using var chunk = new MemoryStream(buffer, 0, length, writable: false);
                await client.UploadSessionAppendAsync(accessToken, sessionId, offset, chunk, length, close, cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            catch (DropboxUploadSessionException e)
                when (e.Kind == UploadSessionErrorKind.IncorrectOffset && e.CorrectOffset == offset + length)
            {
                // The chunk landed but its answer was lost.
                return;
            }
            catch (DropboxUploadSessionException e)
                when (e.Kind == UploadSessionErrorKind.IncorrectOffset && e.CorrectOffset == offset && attempt < ChunkRetries)
            {
                // The chunk did not land: send it again.
            }
            catch (DropboxException e)
                when (e is DropboxTransportException or DropboxServerException && attempt < ChunkRetries)
            {
                // Perhaps it landed, perhaps not: the next attempt's incorrect_offset tells.
            }
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; 0 only at the end.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < size
            && (read = await source.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    /// <summary>Success only if Dropbox holds what was streamed: the hashes must match.</summary>
    private static UploadResult Verified(FileMetadata file, HashingReadStream sent)
    {
        var localHash = sent.ContentHash;
        if (localHash is null || !string.Equals(localHash, file.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            return new UploadResult.Transient(
                $"content hash mismatch: sent {localHash ?? "an unfinished stream"}, Dropbox holds {file.ContentHash ?? "no hash"}.");
        }

        return new UploadResult.Uploaded(
            new ArchivedFile(file.Id, file.Rev, file.PathDisplay ?? file.Name, localHash, file.Size));
    }

    /// <summary>
    /// When the communication happened, as the file's date in Dropbox; a producer's clock running ahead must not
    /// date a file in the future.
    /// </summary>
    private DateTimeOffset ClientModified(ArchiveItem item)
    {
        var now = timeProvider.GetUtcNow();
        return item.Metadata.OccurredAt > now ? now : item.Metadata.OccurredAt;
    }
}
