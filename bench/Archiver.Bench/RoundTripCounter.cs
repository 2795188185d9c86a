using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Testing;

namespace Archiver.Bench;

/// <summary>
/// Counts the node's claims, its customers' checkpoints, the transactions that write them (several customers'
/// together, see <see cref="Core.Pipeline.GroupCommit"/>) and the items in them: how many store round trips an item
/// costs, the first thing to look at when the node falls short of the store's ceiling (<see cref="Ceilings"/>).
/// </summary>
internal sealed class RoundTripCounter(IArchiveStore inner) : DelegatingArchiveStore(inner)
{
    private long _claims;
    private long _claimed;
    private long _checkpoints;
    private long _checkpointed;
    private long _writes;

    public override async Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken)
    {
        var claimed = await base.ClaimAsync(lease, afterId, max, cancellationToken);
        Interlocked.Increment(ref _claims);
        Interlocked.Add(ref _claimed, claimed.Count);
        return claimed;
    }

    /// <summary>Counts each lease's outcomes as a checkpoint and writes them all in one transaction, as the store itself does.</summary>
    public override Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _checkpoints, checkpoints.Count);
        Interlocked.Add(ref _checkpointed, checkpoints.Sum(c => c.Outcomes.Count));
        return Inner.CheckpointAsync(checkpoints, cancellationToken);
    }

    /// <summary>Items per claim, per customer's checkpoint and per checkpoint write (one transaction), on average so far.</summary>
    public (double PerClaim, double PerCheckpoint, double PerWrite) ItemsPerRoundTrip =>
        (Interlocked.Read(ref _claimed) / (double)Math.Max(1, Interlocked.Read(ref _claims)),
         Interlocked.Read(ref _checkpointed) / (double)Math.Max(1, Interlocked.Read(ref _checkpoints)),
         Interlocked.Read(ref _checkpointed) / (double)Math.Max(1, Interlocked.Read(ref _writes)));
}
