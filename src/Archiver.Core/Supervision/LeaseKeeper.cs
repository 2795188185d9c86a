using System.Collections.Concurrent;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Supervision;

/// <summary>
/// Takes and renews this node's leases. Renewal covers every lease the node holds in one store call per round (the
/// node actor runs a round every third of the lease duration), rather than one call per customer: ten thousand idle
/// customers cost one statement per round instead of ten thousand transactions. A lease the store refuses to renew
/// (another node took it) is journaled as lost and reported to its holder, the customer's actor, which ends that
/// customer's life here.
/// <para>
/// Leases are also taken by group: a shard of customers takes the leases of all its active customers before sharding
/// starts any of them here (<see cref="AcquireGroupAsync"/>, behind <c>Archiver.Core.Node.ShardLease</c>). A customer's actor
/// then takes up the lease its group took, without a store call; a customer added later takes its own. Losing any
/// lease of a group ends the group's hold at once (reported once), whoever holds that lease here.
/// </para>
/// <para>
/// A lease is taken over at once, expired or not, from a node the cluster no longer counts as a member (removed, or
/// downed by the split brain resolver): <see cref="Members"/>, kept up to date by the node actor. Until it knows the
/// members, leases are taken only when free or expired.
/// </para>
/// </summary>
public sealed class LeaseKeeper(ILeaseStore leases, IEventJournal journal, TimeSpan leaseDuration, ILogger logger, Func<CustomerId, string>? groupOf = null)
{
    private readonly ConcurrentDictionary<CustomerId, Holder> _held = new();
    private readonly ConcurrentDictionary<string, Action<Exception>> _groups = new(StringComparer.Ordinal);
    private IReadOnlyCollection<string>? _members;

    /// <summary>How many leases are being kept.</summary>
    public int Count => _held.Count;

    /// <summary>The node ids the cluster counts as members, whatever their status (this node's included); null until known.</summary>
    public IReadOnlyCollection<string>? Members
    {
        get => Volatile.Read(ref _members);
        set => Volatile.Write(ref _members, value);
    }

    /// <summary>
    /// The lease of <paramref name="customer"/> for <paramref name="nodeId"/>: the one its group took here and nobody
    /// took up yet, or a new one from the store, unless a member node holds an unexpired one (then null).
    /// </summary>
    public Task<Lease?> AcquireAsync(CustomerId customer, string nodeId, CancellationToken cancellationToken) =>
        _held.TryGetValue(customer, out var held) && held.OnLost is null && held.Lease.NodeId == nodeId
            ? Task.FromResult<Lease?>(held.Lease)
            : leases.AcquireLeaseAsync(customer, nodeId, leaseDuration, Members, cancellationToken);

    /// <summary>
    /// Keeps <paramref name="lease"/> renewed until the returned handle is disposed. If a renewal is refused,
    /// <paramref name="onLost"/> runs once and the lease is no longer kept.
    /// </summary>
    public IDisposable Hold(Lease lease, Action onLost)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(onLost);
        var holder = new Holder(this, lease, onLost);
        _held[lease.Customer] = holder;
        return holder;
    }

    /// <summary>
    /// Takes, for <paramref name="nodeId"/>, the lease of every one of <paramref name="customers"/> this node does not
    /// hold yet, and keeps them renewed. True when all are held: from then on the group is held until one of its leases
    /// is lost (<paramref name="onLost"/> runs once) or <see cref="ReleaseGroupAsync"/>. False when another live node
    /// still holds some; those taken are kept, so a retry asks only for the rest.
    /// </summary>
    public async Task<bool> AcquireGroupAsync(
        string group, IReadOnlyList<CustomerId> customers, string nodeId, Action<Exception> onLost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(onLost);
        var complete = true;
        foreach (var customer in customers.Where(c => !_held.ContainsKey(c)))
        {
            var lease = await leases.AcquireLeaseAsync(customer, nodeId, leaseDuration, Members, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                complete = false; // another live node holds it: a hand-off releases it within seconds, a dead node's runs out
            }
            else
            {
                _held.TryAdd(customer, new Holder(this, lease, onLost: null));
            }
        }

        if (complete)
        {
            _groups[group] = onLost;
        }

        return complete;
    }

    /// <summary>Whether <paramref name="group"/> is held: all its leases taken and none lost since.</summary>
    public bool HoldsGroup(string group) => _groups.ContainsKey(group);

    /// <summary>
    /// Ends the group's hold and gives back the leases it took that no customer's actor took up (those its customers
    /// hold are theirs to give back, which a hand-off has them do before the group is released).
    /// </summary>
    public async Task ReleaseGroupAsync(string group, CancellationToken cancellationToken)
    {
        _groups.TryRemove(group, out _);
        foreach (var (customer, holder) in _held.Where(h => h.Value.OnLost is null && GroupOf(h.Key) == group).ToArray())
        {
            if (_held.TryRemove(KeyValuePair.Create(customer, holder)))
            {
                await leases.ReleaseLeaseAsync(holder.Lease, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One renewal round: every held lease in one store call; a refused one is journaled and reported to its holder and its group.</summary>
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
            renewed = await leases.RenewLeasesAsync(holders.Select(h => h.Lease).ToArray(), leaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is unreachable: the pipelines' own writes fail too, and their customers' actors restart them.
            Log.LeaseRenewalFailed(logger, ex, holders.Length);
            return;
        }

        var kept = renewed.Select(l => (l.Customer, l.FencingToken)).ToHashSet();
        var lost = holders
            .Where(h => !kept.Contains((h.Lease.Customer, h.Lease.FencingToken)) && _held.TryRemove(KeyValuePair.Create(h.Lease.Customer, h)))
            .ToArray();
        if (lost.Length == 0)
        {
            return;
        }

        var losses = lost.Select(h => new LeaseLostException(h.Lease, "renewal was refused")).ToArray();
        await JournalAsync(losses, cancellationToken).ConfigureAwait(false);
        foreach (var (holder, loss) in lost.Zip(losses))
        {
            Log.LeaseLost(logger, holder.Lease.Customer, loss.Message);
            holder.OnLost?.Invoke();
            if (_groups.TryRemove(GroupOf(holder.Lease.Customer), out var groupLost))
            {
                groupLost(loss);
            }
        }
    }

    private string GroupOf(CustomerId customer) => groupOf?.Invoke(customer) ?? string.Empty;

    private async Task JournalAsync(IReadOnlyList<LeaseLostException> losses, CancellationToken cancellationToken)
    {
        try
        {
            await journal.AppendEventsAsync(losses.Select(l => new NewEvent(EventTypes.LeaseLost, l.Lease.Customer, l.Message)).ToArray(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var loss in losses)
            {
                Log.JournalFailed(logger, ex, loss.Lease.Customer, EventTypes.LeaseLost); // still acted on; only the record is missing
            }
        }
    }

    private sealed class Holder(LeaseKeeper keeper, Lease lease, Action? onLost) : IDisposable
    {
        public Lease Lease { get; } = lease;

        /// <summary>The customer's actor's, once it took the lease up; null while only its group holds it.</summary>
        public Action? OnLost { get; } = onLost;

        public void Dispose() => keeper._held.TryRemove(KeyValuePair.Create(Lease.Customer, this));
    }
}
