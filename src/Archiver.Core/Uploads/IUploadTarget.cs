namespace Archiver.Core.Uploads;

/// <summary>Where items are archived to: one customer's Dropbox, an emulator, or a fake in tests.</summary>
public interface IUploadTarget
{
    /// <summary>
    /// Streams one item's content to <see cref="UploadRequest.Path"/>. Every failure is answered as an
    /// <see cref="UploadResult"/>; only cancellation throws.
    /// </summary>
    Task<UploadResult> UploadAsync(UploadRequest request, CancellationToken cancellationToken);
}
