using Archiver.Core.Storage;

namespace Archiver.Testing;

/// <summary>
/// A store on which retention's first run goes through and every later one is held at its first delete until the node
/// stops: the node's last run stays the first (the one that found the history a test wrote) however many of its
/// intervals the test takes. The first run must need one batch of archived items (fewer than the batch size).
/// </summary>
public sealed class FirstRetentionRunOnly(IArchiveStore inner) : DelegatingArchiveStore(inner)
{
    private int _runs;

    public override async Task<int> PruneArchivedItemsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _runs) > 1) // a run starts with its archived items
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return await base.PruneArchivedItemsAsync(before, max, cancellationToken);
    }
}
