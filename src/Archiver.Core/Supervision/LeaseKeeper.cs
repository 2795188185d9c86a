using System.Collections.Concurrent;
using Archiver.Customers;
using Archiver.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Supervision;

/// <summary>
/// Renews every lease this node holds, all of them in one store call every third of the lease duration, rather than
/// one call per customer: ten thousand idle customers cost one statement per round instead of ten thousand
/// transactions. A lease the store refuses to renew (another node took it) is reported to its holder, which stops
/// that customer's pipeline.
/// </summary>
public sealed class LeaseKeeper(IArchiveStore store, TimeSpan leaseDuration, TimeProvider time, ILogger logger)
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

    /// <summary>Renews the held leases every third of the lease duration until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(leaseDuration / 3, time, stoppingToken).ConfigureAwait(false);
                await RenewAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One renewal round.</summary>
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
            // The store is unreachable: the pipelines' own writes fail too, and their supervisors restart them.
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
