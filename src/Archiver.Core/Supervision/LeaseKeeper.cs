using System.Collections.Concurrent;
using Archiver.Customers;
using Archiver.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Supervision;

/// <summary>
/// Renews every lease this node holds, all of them in one store call per round (the node actor runs a round every third
/// of the lease duration), rather than one call per customer: ten thousand idle customers cost one statement per round
/// instead of ten thousand transactions. A lease the store refuses to renew (another node took it) is reported to its
/// holder, the customer's actor, which stops.
/// </summary>
public sealed class LeaseKeeper(IArchiveStore store, TimeSpan leaseDuration, ILogger logger)
{
    private readonly ConcurrentDictionary<CustomerId, Holder> _held = new();

    /// <summary>How many leases are being kept.</summary>
    public int Count => _held.Count;

    /// <summary>
    /// Keeps <paramref name="lease"/> renewed until the returned handle is disposed. If a renewal is refused,
    /// <paramref name="onLost"/> runs once and the lease is no longer kept.
    /// </summary>
    public IDisposable Hold(Lease lease, Action onLost)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var holder = new Holder(this, lease, onLost);
        _held[lease.Customer] = holder;
        return holder;
    }

    /// <summary>One renewal round: every held lease in one store call; a refused one is reported to its holder.</summary>
    public async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        var holders = _held.Values.ToArray();
        if (holders.Length == 0)
        {
            return;
        }

        IReadOnlyList<Lease> renewed;
        try
        {
            renewed = await store.RenewLeasesAsync(holders.Select(h => h.Lease).ToArray(), leaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is unreachable: the pipelines' own writes fail too, and their customers' actors restart them.
            Log.LeaseRenewalFailed(logger, ex, holders.Length);
            return;
        }

        var kept = renewed.Select(l => (l.Customer, l.FencingToken)).ToHashSet();
        foreach (var holder in holders)
        {
            if (!kept.Contains((holder.Lease.Customer, holder.Lease.FencingToken))
                && _held.TryRemove(KeyValuePair.Create(holder.Lease.Customer, holder)))
            {
                holder.OnLost();
            }
        }
    }

    private sealed class Holder(LeaseKeeper keeper, Lease lease, Action onLost) : IDisposable
    {
        public Lease Lease { get; } = lease;

        public Action OnLost { get; } = onLost;

        public void Dispose() => keeper._held.TryRemove(KeyValuePair.Create(Lease.Customer, this));
    }
}
