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
/// </remarks>
public sealed class DropboxUploadTarget(
    DropboxClient client, TimeProvider timeProvider, DropboxTokenSource? tokenSource = null) : IUploadTarget
{
    /// <summary>The reason given when an expired token was refreshed but the content could not be sent again.</summary>
    public const string RefreshedReason = "access token expired; refreshed";

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
        var file = await client.UploadAsync(accessToken, commit, content, request.Content.Length, cancellationToken);
        return Verified(file, content);
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
