using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Testing;

namespace Archiver.Bench;

/// <summary>
/// Counts the node's claims and checkpoints and the items in them: how many store round trips an item costs, the
/// first thing to look at when the node falls short of the store's ceiling (<see cref="Ceilings"/>).
/// </summary>
internal sealed class RoundTripCounter(IArchiveStore inner) : DelegatingArchiveStore(inner)
{
    private long _claims;
    private long _claimed;
    private long _checkpoints;
    private long _checkpointed;

    public override async Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken)
    {
        var claimed = await base.ClaimAsync(lease, afterId, max, cancellationToken);
        Interlocked.Increment(ref _claims);
        Interlocked.Add(ref _claimed, claimed.Count);
        return claimed;
    }

    public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _checkpoints);
        Interlocked.Add(ref _checkpointed, outcomes.Count);
        return base.CheckpointAsync(lease, outcomes, cancellationToken);
    }

    /// <summary>Items per claim and per checkpoint, on average so far.</summary>
    public (double PerClaim, double PerCheckpoint) ItemsPerRoundTrip =>
        (Interlocked.Read(ref _claimed) / (double)Math.Max(1, Interlocked.Read(ref _claims)),
         Interlocked.Read(ref _checkpointed) / (double)Math.Max(1, Interlocked.Read(ref _checkpoints)));
}
