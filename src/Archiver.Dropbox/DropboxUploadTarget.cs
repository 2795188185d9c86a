using Archiver.Content;
using Archiver.Customers;
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
public sealed class DropboxUploadTarget(DropboxClient client, TimeProvider timeProvider) : IUploadTarget
{
    public async Task<UploadResult> UploadAsync(UploadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Customer.Dropbox.AccessToken is not { } accessToken)
        {
            return new UploadResult.CustomerBlocked(
                CustomerState.NeedsReauth, "The customer has no Dropbox access token; it must be connected again.");
        }

        var commit = new CommitInfo(request.Path)
        {
            Mode = WriteMode.Add,
            Autorename = false,
            StrictConflict = false,
            Mute = true,
            ClientModified = ClientModified(request.Item),
        };

        await using var content = new HashingReadStream(request.Content.Stream, leaveOpen: true);
        try
        {
            var file = await client.UploadAsync(
                accessToken.Reveal, commit, content, request.Content.Length, cancellationToken);
            return Verified(file, content);
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
