using System.Threading.Channels;
using Archiver.Items;
using Archiver.Storage;

namespace Archiver.Pipeline;

/// <summary>
/// The source of a customer's pipeline: claims due items out of the store in id order, a page at a time, and only
/// as many as <see cref="Demand"/> has credits for. When nothing is due it waits for work (<see cref="DueWork"/>);
/// once it has waited <see cref="PipelineSettings.IdleAfter"/> in vain it ends, and the pipeline with it.
/// </summary>
internal sealed class ItemFeed(Lease lease, PipelineSettings settings, PipelineServices services, Demand demand)
{
    public async Task RunAsync(ChannelWriter<ArchiveItem> output, CancellationToken cancellationToken)
    {
        try
        {
            long afterId = 0;
            while (true)
            {
                var wanted = await demand.TakeAsync(settings.PageSize, atLeast: demand.Capacity / 2, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<ArchiveItem> page;
                try
                {
                    page = await services.Store.ClaimAsync(lease, afterId, wanted, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    demand.Return(wanted);
                    throw;
                }

                demand.Return(wanted - page.Count);
                foreach (var item in page)
                {
                    Stages.Write(output, item);
                }

                if (page.Count == wanted)
                {
                    afterId = page[^1].Id;
                    continue;
                }

                if (afterId > 0)
                {
                    // Reached the end of the keyset; items before the cursor may have become due meanwhile.
                    afterId = 0;
                    continue;
                }

                if (!await DueWork.WaitAsync(services, lease.Customer, settings.PollInterval, settings.IdleAfter, cancellationToken).ConfigureAwait(false))
                {
                    return; // idle: the customer's actor waits for work without the pipeline
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what was claimed is already downstream.
        }
        finally
        {
            output.TryComplete();
        }
    }
}
