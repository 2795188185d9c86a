using System.Threading.Channels;
using Archiver.Items;
using Archiver.Storage;

namespace Archiver.Pipeline;

/// <summary>
/// The source of a customer's pipeline: claims due items out of the store in id order, a page at a time, and only
/// as many as <see cref="Demand"/> has credits for. When nothing is due it sleeps until whichever comes first:
/// an enqueue for this customer (<see cref="WorkSignal"/>), the next retry becoming due, or a jittered poll.
/// </summary>
internal sealed class ItemFeed(
    Lease lease,
    PipelineSettings settings,
    IArchiveStore store,
    Demand demand,
    WorkSignal signal,
    TimeProvider time)
{
    /// <summary>The shortest sleep, so a clock edge can never turn the idle wait into a busy loop.</summary>
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(5);

    public async Task RunAsync(ChannelWriter<ArchiveItem> output, CancellationToken cancellationToken)
    {
        try
        {
            long afterId = 0;
            while (true)
            {
                var wanted = await demand.TakeAsync(settings.PageSize, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<ArchiveItem> page;
                try
                {
                    page = await store.ClaimAsync(lease, afterId, wanted, cancellationToken).ConfigureAwait(false);
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

                await WaitForWorkAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Sleeps until there may be something to claim: a pulse, or the earliest pending item becoming due. A poll that
    /// finds nothing due only reads the next due time again, so an idle customer costs one small read per poll
    /// interval rather than a claim transaction.
    /// </summary>
    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = settings.PollInterval * (0.8 + (Random.Shared.NextDouble() * 0.4));
            var nextDue = await store.NextDueAtAsync(lease.Customer, cancellationToken).ConfigureAwait(false);
            if (nextDue is { } due)
            {
                var untilDue = due - time.GetUtcNow();
                if (untilDue <= TimeSpan.Zero)
                {
                    return;
                }

                if (untilDue < wait)
                {
                    wait = untilDue;
                }
            }

            var woken = await signal.WaitAsync(lease.Customer, wait < MinimumWait ? MinimumWait : wait, time, cancellationToken).ConfigureAwait(false);
            if (woken)
            {
                return;
            }
        }
    }
}
