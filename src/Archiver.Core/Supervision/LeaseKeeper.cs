using System.Collections.Concurrent;
using Archiver.Customers;
using Archiver.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Supervision;

/// <summary>
/// Takes and renews this node's leases. Renewal covers every lease the node holds in one store call per round (the
/// node actor runs a round every third of the lease duration), rather than one call per customer: ten thousand idle
/// customers cost one statement per round instead of ten thousand transactions. A lease the store refuses to renew
/// (another node took it) is reported to its holder, the customer's actor, which ends that customer's life here.
/// <para>
/// A lease is taken over at once, expired or not, from a node the cluster no longer counts as a member (removed, or
/// downed by the split brain resolver): <see cref="Members"/>, kept up to date by the node actor. Until it knows the
/// members, leases are taken only when free or expired.
/// </para>
/// </summary>
public sealed class LeaseKeeper(IArchiveStore store, TimeSpan leaseDuration, ILogger logger)
{
    private readonly ConcurrentDictionary<CustomerId, Holder> _held = new();
    private IReadOnlyCollection<string>? _members;

    /// <summary>How many leases are being kept.</summary>
    public int Count => _held.Count;

    /// <summary>The node ids the cluster counts as members, whatever their status (this node's included); null until known.</summary>
    public IReadOnlyCollection<string>? Members
    {
        get => Volatile.Read(ref _members);
        set => Volatile.Write(ref _members, value);
    }

    /// <summary>Takes <paramref name="customer"/>'s lease for <paramref name="nodeId"/>, unless a member node holds an unexpired one.</summary>
    public Task<Lease?> AcquireAsync(CustomerId customer, string nodeId, CancellationToken cancellationToken) =>
        store.AcquireLeaseAsync(customer, nodeId, leaseDuration, Members, cancellationToken);

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
