using Archiver.Core.Customers;
using Archiver.Core.Uploads;

namespace Archiver.Bench;

/// <summary>Holds every upload of one customer for <paramref name="hang"/> before passing it on: a Dropbox that stops answering.</summary>
internal sealed class HangingTarget(IUploadTarget inner, CustomerId hanging, TimeSpan hang) : IUploadTarget
{
    public async Task<UploadResult> UploadAsync(UploadRequest request, CancellationToken cancellationToken)
    {
        if (request.Customer.Id == hanging)
        {
            await Task.Delay(hang, cancellationToken);
        }

        return await inner.UploadAsync(request, cancellationToken);
    }
}
