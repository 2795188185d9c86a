using Archiver.Customers;
using Npgsql;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public Task<Lease?> AcquireLeaseAsync(CustomerId customer, string nodeId, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = _time.Now();
        var expiresAt = now + (long)duration.TotalMilliseconds;

        return InTransactionAsync<Lease?>(
            async (connection, transaction) =>
            {
                // One statement takes the lease or leaves it: the upsert locks the row and re-checks the condition on
                // its latest version, so of two nodes racing for it exactly one wins, and the token only grows.
                await using var take = connection.Command("""
                    INSERT INTO leases AS lease (customer_id, node_id, fencing_token, expires_at)
                    VALUES (@customer, @node, 1, @expires_at)
                    ON CONFLICT (customer_id) DO UPDATE
                    SET node_id = excluded.node_id, fencing_token = lease.fencing_token + 1, expires_at = excluded.expires_at
                    WHERE lease.node_id IS NULL OR lease.node_id = excluded.node_id OR lease.expires_at <= @now
                    RETURNING fencing_token
                    """, transaction);
                take.Bind("@customer", customer.Value);
                take.Bind("@node", nodeId);
                take.Bind("@expires_at", expiresAt);
                take.Bind("@now", now);
                object? taken;
                try
                {
                    taken = await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    throw new ArgumentException($"Cannot lease customer '{customer}': no such customer.", nameof(customer), exception);
                }

                if (taken is not long token)
                {
                    return null; // another live node holds it
                }

                // Whatever older holders still had in flight will never be checkpointed: make it claimable again.
                await using var reclaim = connection.Command("""
                    UPDATE items
                    SET status = 'pending', next_attempt_at = @now, updated_at = @now
                    WHERE customer_id = @customer AND status = 'in_flight' AND fencing_token < @token
                    """, transaction);
                reclaim.Bind("@customer", customer.Value);
                reclaim.Bind("@token", token);
                reclaim.Bind("@now", now);
                var reclaimed = await reclaim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                await EventWriter.AppendAsync(
                        connection,
                        transaction,
                        EventTypes.LeaseAcquired,
                        customer,
                        null,
                        $"{nodeId} took the lease with fencing token {token}; {reclaimed} item(s) returned to pending.",
                        now,
                        cancellationToken)
                    .ConfigureAwait(false);

                return new Lease(customer, nodeId, token, UnixMs.ToTime(expiresAt));
            },
            cancellationToken);
    }

    public async Task<Lease?> RenewLeaseAsync(Lease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var expiresAt = _time.Now() + (long)duration.TotalMilliseconds;

        await using var renew = _dataSource.CreateCommand("""
            UPDATE leases SET expires_at = @expires_at
            WHERE customer_id = @customer AND node_id = @node AND fencing_token = @token
            """);
        renew.Bind("@customer", lease.Customer.Value);
        renew.Bind("@node", lease.NodeId);
        renew.Bind("@token", lease.FencingToken);
        renew.Bind("@expires_at", expiresAt);
        return await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1
            ? lease with { ExpiresAt = UnixMs.ToTime(expiresAt) }
            : null;
    }

    public async Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);

        // The row stays, holderless and expired, so the next take still counts up from this token.
        await using var release = _dataSource.CreateCommand("""
            UPDATE leases SET node_id = NULL, expires_at = @now
            WHERE customer_id = @customer AND node_id = @node AND fencing_token = @token
            """);
        release.Bind("@customer", lease.Customer.Value);
        release.Bind("@node", lease.NodeId);
        release.Bind("@token", lease.FencingToken);
        release.Bind("@now", _time.Now());
        await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Lease>> ListLeasesAsync(CancellationToken cancellationToken)
    {
        await using var select = _dataSource.CreateCommand("""
            SELECT customer_id, node_id, fencing_token, expires_at FROM leases
            WHERE node_id IS NOT NULL AND expires_at > @now
            ORDER BY customer_id
            """);
        select.Bind("@now", _time.Now());
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<Lease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new Lease(new CustomerId(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2), UnixMs.ToTime(reader.GetInt64(3))));
        }

        return leases;
    }
}
