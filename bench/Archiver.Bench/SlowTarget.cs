using Archiver.Core.Uploads;

namespace Archiver.Bench;

/// <summary>Every upload takes <paramref name="delay"/> longer: a Dropbox far away, so a node's upload budget, not the CPU, limits it.</summary>
internal sealed class SlowTarget(IUploadTarget inner, TimeSpan delay) : IUploadTarget
{
    public async Task<UploadResult> UploadAsync(UploadRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return await inner.UploadAsync(request, cancellationToken);
    }
}
