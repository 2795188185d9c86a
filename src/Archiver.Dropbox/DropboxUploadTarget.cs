using Archiver.Content;
using Archiver.Customers;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Models;
using Archiver.Items;
using Archiver.Uploads;

namespace Archiver.Dropbox;

/// <summary>
/// Archives an item into its customer's Dropbox with one streamed <c>files/upload</c>. The content is hashed while
/// it streams and an upload only counts once Dropbox holds exactly those bytes. Never overwrites: identical content
/// already at the path is accepted as archived, different content is a permanent conflict.
/// </summary>
/// <remarks>
/// A customer with a refresh token is served short-lived access tokens by <paramref name="tokenSource"/> (when one is
/// given); a customer with only an access token uses it as it is. When Dropbox answers <c>expired_access_token</c>
/// the token is refreshed once: a seekable content stream is rewound and uploaded again, a forward-only one cannot
/// be, so the item is reported as a transient failure for the pipeline to retry with the new token.
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
    long sessionThreshold = DropboxUploadTarget.DefaultSessionThreshold) : IUploadTarget
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

    private readonly long _sessionThreshold = ValidThreshold(sessionThreshold);

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
            Autorename = false,
            StrictConflict = false,
            Mute = true,
            ClientModified = ClientModified(request.Item),
        };

        var source = request.Content.Stream;
        long? start = source.CanSeek ? source.Position : null;
        try
        {
            var accessToken = refreshToken is { } rt
                ? await tokenSource!.GetAccessTokenAsync(rt, cancellationToken)
                : credentials.AccessToken!.Value.Reveal;
            try
            {
                return await UploadOnceAsync(accessToken, commit, request, cancellationToken);
            }
            catch (DropboxAuthException e) when (e.Kind == AuthErrorKind.ExpiredAccessToken && refreshToken is { } expired)
            {
                tokenSource!.Invalidate(expired, accessToken);
                var renewed = await tokenSource.GetAccessTokenAsync(expired, cancellationToken);
                if (start is not { } position)
                {
                    return new UploadResult.Transient(RefreshedReason);
                }

                source.Position = position;
                try
                {
                    return await UploadOnceAsync(renewed, commit, request, cancellationToken);
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

    private async Task<UploadResult> UploadOnceAsync(
        string accessToken, CommitInfo commit, UploadRequest request, CancellationToken cancellationToken)
    {
        await using var content = new HashingReadStream(request.Content.Stream, leaveOpen: true);
        if (request.Content.Length is { } length && length > _sessionThreshold)
        {
            return await UploadInSessionAsync(accessToken, commit, content, cancellationToken);
        }

        var file = await client.UploadAsync(accessToken, commit, content, request.Content.Length, cancellationToken);
        return Verified(file, content);
    }

    private static long ValidThreshold(long threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, MaxSingleUploadBytes);
        return threshold;
    }

    /// <summary>
    /// Streams the content through an upload session, one chunk at a time from a single buffer, then commits it.
    /// The stream is read to its end, so its hash is known when the session is finished.
    /// </summary>
    private async Task<UploadResult> UploadInSessionAsync(
        string accessToken, CommitInfo commit, HashingReadStream content, CancellationToken cancellationToken)
    {
        var sessionId = await client.UploadSessionStartAsync(accessToken, cancellationToken);
        var buffer = new byte[SessionChunkSize];
        long offset = 0;
        int filled;
        while ((filled = await FillAsync(content, buffer, cancellationToken)) > 0)
        {
            await AppendChunkAsync(accessToken, sessionId, offset, buffer, filled, cancellationToken);
            offset += filled;
        }

        var file = await client.UploadSessionFinishAsync(accessToken, sessionId, offset, commit, cancellationToken);
        return Verified(file, content);
    }

    /// <summary>
    /// Appends one chunk. A transient failure sends it again from the buffer (up to <see cref="ChunkRetries"/>
    /// times); <c>incorrect_offset</c> tells whether a chunk whose answer was lost landed (continue) or not (send
    /// again); any other offset means the session no longer matches what was sent, which is fatal.
    /// </summary>
    private async Task AppendChunkAsync(
        string accessToken, string sessionId, long offset, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var chunk = new MemoryStream(buffer, 0, length, writable: false);
                await client.UploadSessionAppendAsync(accessToken, sessionId, offset, chunk, length, close: false, cancellationToken);
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
    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length
            && (read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
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
