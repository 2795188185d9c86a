using System.Data;
using System.Data.Common;
using Archiver.Customers;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    /// <summary>The interface's shape without a member list, kept on the class for callers that hold the store itself.</summary>
    public Task<Lease?> AcquireLeaseAsync(
        CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = _time.Now();
        var expiresAt = now + (long)duration.TotalMilliseconds;

        return _database.WriteAsync(
            async transaction =>
            {
                await EnsureCustomerExistsAsync(transaction, customer, cancellationToken).ConfigureAwait(false);

                using var current = transaction.Command(
                    "SELECT node_id, fencing_token, expires_at FROM leases WHERE customer_id = @customer");
                current.Bind("@customer", customer.Value);
                long previousToken = 0;
                string? passedOver = null; // an unexpired holder the cluster no longer counts as a member
                using (var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var holder = reader.GetStringOrNull(0);
                        var heldByAnother = holder is not null && holder != nodeId && reader.GetInt64(2) > now;
                        var holderIsMember = liveNodes is null || (holder is not null && liveNodes.Contains(holder));
                        var heldByAnotherLiveNode = heldByAnother && holderIsMember;
                        if (heldByAnotherLiveNode)
                        {
                            return null;
                        }

                        passedOver = heldByAnother ? holder : null;
                        previousToken = reader.GetInt64(1);
                    }
                }

                var token = previousToken + 1;
                using var take = transaction.Command("""
                    INSERT INTO leases (customer_id, node_id, fencing_token, expires_at)
                    VALUES (@customer, @node, @token, @expires_at)
                    ON CONFLICT (customer_id) DO UPDATE
                    SET node_id = excluded.node_id, fencing_token = excluded.fencing_token, expires_at = excluded.expires_at
                    """);
                take.Bind("@customer", customer.Value);
                take.Bind("@node", nodeId);
                take.Bind("@token", token);
                take.Bind("@expires_at", expiresAt);
                await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                // Whatever older holders still had in flight will never be checkpointed: make it claimable again.
                using var reclaim = transaction.Command("""
                    UPDATE items
                    SET status = 'pending', next_attempt_at = @now, updated_at = @now
                    WHERE customer_id = @customer AND status = 'in_flight' AND fencing_token < @token
                    """);
                reclaim.Bind("@customer", customer.Value);
                reclaim.Bind("@token", token);
                reclaim.Bind("@now", now);
                var reclaimed = await reclaim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                var details = $"{nodeId} took the lease with fencing token {token}; {reclaimed} item(s) returned to pending.";
                if (passedOver is not null)
                {
                    details += $" (taken over from {passedOver}, no longer a cluster member)";
                }

                using var events = new EventWriter(transaction);
                await events.AppendAsync(EventTypes.LeaseAcquired, customer, null, details, now, cancellationToken).ConfigureAwait(false);

                return new Lease(customer, nodeId, token, UnixMs.ToTime(expiresAt));
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var expiresAt = _time.Now() + (long)duration.TotalMilliseconds;

        return _database.WriteAsync<IReadOnlyList<Lease>>(
            async transaction =>
            {
                using var renew = transaction.Command("""
                    UPDATE leases SET expires_at = @expires_at
                    WHERE customer_id = @customer AND node_id = @node AND fencing_token = @token
                    """);
                renew.Bind("@expires_at", expiresAt);
                var customer = renew.Parameter("@customer", DbType.String);
                var node = renew.Parameter("@node", DbType.String);
                var token = renew.Parameter("@token", DbType.Int64);
                var renewed = new List<Lease>(leases.Count);
                foreach (var lease in leases)
                {
                    customer.Set(lease.Customer.Value);
                    node.Set(lease.NodeId);
                    token.Set(lease.FencingToken);
                    if (await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                    {
                        renewed.Add(lease with { ExpiresAt = UnixMs.ToTime(expiresAt) });
                    }
                }

                return renewed;
            },
            cancellationToken);
    }

    public Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = _time.Now();

        return _database.WriteAsync(
            async transaction =>
            {
                // The row stays, holderless and expired, so the next take still counts up from this token.
                using var release = transaction.Command("""
                    UPDATE leases SET node_id = NULL, expires_at = @now
                    WHERE customer_id = @customer AND node_id = @node AND fencing_token = @token
                    """);
                release.Bind("@customer", lease.Customer.Value);
                release.Bind("@node", lease.NodeId);
                release.Bind("@token", lease.FencingToken);
                release.Bind("@now", now);
                await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<Lease>> ListLeasesAsync(CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command("""
            SELECT customer_id, node_id, fencing_token, expires_at FROM leases
            WHERE node_id IS NOT NULL AND expires_at > @now
            ORDER BY customer_id
            """);
        select.Bind("@now", _time.Now());
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<Lease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new Lease(new CustomerId(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2), UnixMs.ToTime(reader.GetInt64(3))));
        }

        return leases;
    }

    private static async Task EnsureCustomerExistsAsync(DbTransaction transaction, CustomerId customer, CancellationToken cancellationToken)
    {
        using var exists = transaction.Command("SELECT 1 FROM customers WHERE id = @id");
        exists.Bind("@id", customer.Value);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ArgumentException($"Cannot lease customer '{customer}': no such customer.", nameof(customer));
        }
    }
}
