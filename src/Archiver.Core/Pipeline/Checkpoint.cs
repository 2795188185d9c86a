using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Core.Pipeline;

/// <summary>
/// The last step of a customer's stream: writes a batch of outcomes back with the lease's fencing token. A batch is
/// whatever arrived while the previous write ran, so the write rate adapts to the load: one row when traffic is light,
/// hundreds when heavy; it is written in chunks of at most <see cref="PipelineSettings.CheckpointBatchSize"/>, each
/// with whatever other customers of the node checkpoint at the time (<see cref="GroupCommit"/>).
/// Credits go back to <see cref="ClaimCredits"/> only once their outcomes are durable.
/// </summary>
internal sealed class Checkpoint(Lease lease, PipelineSettings settings, GroupCommit checkpoints, ClaimCredits credits, WorkSignal signal)
{
    /// <exception cref="LeaseLostException">The store refused a write: another node holds the customer now.</exception>
    public async Task<int> WriteAsync(IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        var retries = false;
        foreach (var chunk in outcomes.Chunk(settings.CheckpointBatchSize))
        {
            var result = await checkpoints.WriteAsync(lease, chunk, cancellationToken).ConfigureAwait(false);
            credits.Return(chunk.Length);
            retries |= Array.Exists(chunk, outcome => outcome is ItemOutcome.Retry);
            if (result.Rejected > 0)
            {
                throw new LeaseLostException(lease, $"{result.Rejected} checkpoint writes were refused");
            }
        }

        if (retries)
        {
            // The source may have just concluded nothing is due; a retry it has not seen must wake it to look again.
            signal.Notify(lease.Customer);
        }

        return outcomes.Count;
    }
}
