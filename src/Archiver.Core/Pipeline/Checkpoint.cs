using System.Threading.Channels;
using Archiver.Items;
using Archiver.Storage;

namespace Archiver.Pipeline;

/// <summary>
/// The sink of a customer's pipeline: writes outcomes back in batches. Each batch is whatever accumulated while the
/// previous write ran (up to the batch size), so the write rate adapts to the load: one row when traffic is light,
/// hundreds when heavy. Credits go back to <see cref="Demand"/> only once their outcomes are durable.
/// </summary>
internal sealed class Checkpoint(Lease lease, PipelineSettings settings, IArchiveStore store, Demand demand, WorkSignal signal)
{
    public async Task RunAsync(ChannelReader<ItemOutcome> input, CancellationToken cancellationToken)
    {
        var batch = new List<ItemOutcome>(); // grows with the traffic: an idle customer's stays empty
        while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < settings.CheckpointBatchSize && input.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            var result = await store.CheckpointAsync(lease, batch, cancellationToken).ConfigureAwait(false);
            demand.Return(batch.Count);
            if (batch.Exists(outcome => outcome is ItemOutcome.Retry))
            {
                // The feed may have just concluded nothing is due; a retry it has not seen must wake it to look again.
                signal.Notify(lease.Customer);
            }

            batch.Clear();
            if (result.Rejected > 0)
            {
                throw new LeaseLostException(lease, $"{result.Rejected} checkpoint writes were refused");
            }
        }
    }
}
