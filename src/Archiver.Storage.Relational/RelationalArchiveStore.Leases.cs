using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    /// <summary>
    /// Takes the customer's lease in one write transaction, around the statements by which the dialect takes the row
    /// (<see cref="TakeLeaseAsync"/>). A successful take returns to pending whatever older holders still had in flight
    /// (it will never be checkpointed) and is journaled.
    /// </summary>
    public Task<Lease?> AcquireLeaseAsync(
        CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = Time.Now();
        var request = new LeaseRequest(customer, nodeId, liveNodes, now, now + (long)duration.TotalMilliseconds);

        return Database.WriteAsync<Lease?>(
            async transaction =>
            {
                if (await TakeLeaseAsync(transaction, request, cancellationToken).ConfigureAwait(false) is not (var token, var passedOver))
                {
                    return null;
                }

                var reclaimed = await ReclaimAsync(transaction, customer, token, now, cancellationToken).ConfigureAwait(false);
                var details = $"{nodeId} took the lease with fencing token {token}; {reclaimed} item(s) returned to pending.";
                if (passedOver is not null)
                {
                    details += $" (taken over from {passedOver}, no longer a cluster member)";
                }

                await EventWriter.AppendOneAsync(transaction, EventTypes.LeaseAcquired, customer, null, details, now, cancellationToken)
                    .ConfigureAwait(false);
                return new Lease(customer, nodeId, token, UnixMs.ToTime(request.ExpiresAt));
            },
            cancellationToken);
    }

    /// <summary>
    /// The dialect's take of the customer's lease row, in the write transaction <see cref="AcquireLeaseAsync"/> runs:
    /// gives the new fencing token, and the unexpired holder it passed over for no longer being a cluster member, if
    /// any; or null when another live node holds the lease. A customer not stored throws
    /// <see cref="NoSuchCustomer.ToLease"/>'s exception.
    /// </summary>
    private protected abstract Task<(long FencingToken, string? PassedOver)?> TakeLeaseAsync(
        DbTransaction transaction, LeaseRequest request, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken);

    public async Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = Time.Now();

        // The row stays, holderless and expired, so the next take still counts up from this token.
        await Database.ExecuteAsync(
                """
                UPDATE leases SET node_id = NULL, expires_at = @now
                WHERE customer_id = @customer AND node_id = @node AND fencing_token = @token
                """,
                release =>
                {
                    release.Bind("@customer", lease.Customer.Value);
                    release.Bind("@node", lease.NodeId);
                    release.Bind("@token", lease.FencingToken);
                    release.Bind("@now", now);
                },
                cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Lease>> ListLeasesAsync(CancellationToken cancellationToken) =>
        await ReadAsync(
                """
                SELECT customer_id, node_id, fencing_token, expires_at FROM leases
                WHERE node_id IS NOT NULL AND expires_at > @now
                ORDER BY customer_id
                """,
                select => select.Bind("@now", Time.Now()),
                row => new Lease(new CustomerId(row.GetString(0)), row.GetString(1), row.GetInt64(2), UnixMs.ToTime(row.GetInt64(3))),
                cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Returns to pending, as due now, the customer's items still in flight under a token older than <paramref name="token"/>.</summary>
    private static async Task<int> ReclaimAsync(DbTransaction transaction, CustomerId customer, long token, long now, CancellationToken cancellationToken)
    {
        using var reclaim = transaction.Command("""
            UPDATE items
            SET status = 'pending', next_attempt_at = @now, updated_at = @now
            WHERE customer_id = @customer AND status = 'in_flight' AND fencing_token < @token
            """);
        reclaim.Bind("@customer", customer.Value);
        reclaim.Bind("@token", token);
        reclaim.Bind("@now", now);
        return await reclaim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
