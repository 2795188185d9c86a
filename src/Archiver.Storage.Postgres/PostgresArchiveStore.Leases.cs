using Archiver.Customers;
using Archiver.Storage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    /// <summary>The interface's shape without a member list, kept on the class for callers that hold the store itself.</summary>
    public Task<Lease?> AcquireLeaseAsync(
        CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = _time.Now();
        var expiresAt = now + (long)duration.TotalMilliseconds;

        return InTransactionAsync<Lease?>(
            async (connection, transaction) =>
            {
                // Only a take that may pass over an unexpired holder needs to know who that was, to journal it: lock
                // the row first, so the holder read here is the one the take below decides on.
                var holder = liveNodes is null
                    ? null
                    : await LockUnexpiredHolderAsync(connection, transaction, customer, now, cancellationToken).ConfigureAwait(false);

                // One statement takes the lease or leaves it: the upsert locks the row and re-checks the condition on
                // its latest version, so of two nodes racing for it exactly one wins, and the token only grows. A
                // holder the cluster no longer counts as a member (not in @live, when given) is passed over at once.
                await using var take = connection.Command("""
                    INSERT INTO leases AS lease (customer_id, node_id, fencing_token, expires_at)
                    VALUES (@customer, @node, 1, @expires_at)
                    ON CONFLICT (customer_id) DO UPDATE
                    SET node_id = excluded.node_id, fencing_token = lease.fencing_token + 1, expires_at = excluded.expires_at
                    WHERE lease.node_id IS NULL OR lease.node_id = excluded.node_id OR lease.expires_at <= @now
                       OR (@live::text[] IS NOT NULL AND NOT (lease.node_id = ANY (@live::text[])))
                    RETURNING fencing_token
                    """, transaction);
                take.Bind("@customer", customer.Value);
                take.Bind("@node", nodeId);
                take.Bind("@expires_at", expiresAt);
                take.Bind("@now", now);
                take.Bind("@live", NpgsqlDbType.Array | NpgsqlDbType.Text, liveNodes?.ToArray());
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

                var details = $"{nodeId} took the lease with fencing token {token}; {reclaimed} item(s) returned to pending.";
                if (liveNodes is not null && holder is not null && holder != nodeId && !liveNodes.Contains(holder))
                {
                    details += $" (taken over from {holder}, no longer a cluster member)";
                }

                await EventWriter.AppendOneAsync(transaction, EventTypes.LeaseAcquired, customer, null, details, now, cancellationToken)
                    .ConfigureAwait(false);

                return new Lease(customer, nodeId, token, UnixMs.ToTime(expiresAt));
            },
            cancellationToken);
    }

    /// <summary>
    /// Locks the customer's lease row, when there is one, until the transaction ends, and returns the node holding it
    /// unexpired at <paramref name="now"/>; null when nobody does.
    /// </summary>
    private static async Task<string?> LockUnexpiredHolderAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CustomerId customer, long now, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(
            "SELECT CASE WHEN expires_at > @now THEN node_id END FROM leases WHERE customer_id = @customer FOR UPDATE", transaction);
        select.Bind("@customer", customer.Value);
        select.Bind("@now", now);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (leases.Count == 0)
        {
            return [];
        }

        var expiresAt = _time.Now() + (long)duration.TotalMilliseconds;

        // One statement for every lease this node holds, however many customers that is.
        await using var renew = _dataSource.CreateCommand("""
            UPDATE leases AS l SET expires_at = @expires_at
            FROM unnest(@customers, @nodes, @tokens) AS held (customer_id, node_id, fencing_token)
            WHERE l.customer_id = held.customer_id AND l.node_id = held.node_id AND l.fencing_token = held.fencing_token
            RETURNING l.customer_id, l.fencing_token
            """);
        renew.Bind("@expires_at", expiresAt);
        renew.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, leases.Select(l => l.Customer.Value).ToArray());
        renew.Bind("@nodes", NpgsqlDbType.Array | NpgsqlDbType.Text, leases.Select(l => l.NodeId).ToArray());
        renew.Bind("@tokens", NpgsqlDbType.Array | NpgsqlDbType.Bigint, leases.Select(l => l.FencingToken).ToArray());
        var renewed = new HashSet<(string Customer, long Token)>();
        await using (var reader = await renew.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                renewed.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        return leases
            .Where(l => renewed.Contains((l.Customer.Value, l.FencingToken)))
            .Select(l => l with { ExpiresAt = UnixMs.ToTime(expiresAt) })
            .ToArray();
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
