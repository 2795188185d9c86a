using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    /// <summary>
    /// PostgreSQL's take: one conditional upsert, with the row locked first only when the take may pass over an
    /// unexpired holder, to journal who that was.
    /// </summary>
    private protected override async Task<(long FencingToken, string? PassedOver)?> TakeLeaseAsync(
        DbTransaction transaction, LeaseRequest request, CancellationToken cancellationToken)
    {
        // Only a take that may pass over an unexpired holder needs to know who that was, to journal it: lock the row
        // first, so the holder read here is the one the take below decides on.
        var liveNodes = request.LiveNodes;
        var holder = liveNodes is null
            ? null
            : await LockUnexpiredHolderAsync(transaction, request.Customer, request.Now, cancellationToken).ConfigureAwait(false);

        // One statement takes the lease or leaves it: the upsert locks the row and re-checks the condition on its
        // latest version, so of two nodes racing for it exactly one wins, and the token only grows. A holder the
        // cluster no longer counts as a member (not in @live, when given) is passed over at once.
        using var take = transaction.Command("""
            INSERT INTO leases AS lease (customer_id, node_id, fencing_token, expires_at)
            VALUES (@customer, @node, 1, @expires_at)
            ON CONFLICT (customer_id) DO UPDATE
            SET node_id = excluded.node_id, fencing_token = lease.fencing_token + 1, expires_at = excluded.expires_at
            WHERE lease.node_id IS NULL OR lease.node_id = excluded.node_id OR lease.expires_at <= @now
               OR (@live::text[] IS NOT NULL AND NOT (lease.node_id = ANY (@live::text[])))
            RETURNING fencing_token
            """);
        take.Bind("@customer", request.Customer.Value);
        take.Bind("@node", request.NodeId);
        take.Bind("@expires_at", request.ExpiresAt);
        take.Bind("@now", request.Now);
        take.Bind("@live", NpgsqlDbType.Array | NpgsqlDbType.Text, liveNodes?.ToArray());
        object? taken;
        try
        {
            taken = await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw NoSuchCustomer.ToLease(request.Customer, exception);
        }

        if (taken is not long token)
        {
            return null; // another live node holds it
        }

        var passedOver = liveNodes is not null && holder is not null && holder != request.NodeId && !liveNodes.Contains(holder);
        return (token, passedOver ? holder : null);
    }

    /// <summary>
    /// Locks the customer's lease row, when there is one, until the transaction ends, and returns the node holding it
    /// unexpired at <paramref name="now"/>; null when nobody does.
    /// </summary>
    private static async Task<string?> LockUnexpiredHolderAsync(
        DbTransaction transaction, CustomerId customer, long now, CancellationToken cancellationToken)
    {
        using var select = transaction.Command(
            "SELECT CASE WHEN expires_at > @now THEN node_id END FROM leases WHERE customer_id = @customer FOR UPDATE");
        select.Bind("@customer", customer.Value);
        select.Bind("@now", now);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public override async Task<IReadOnlyList<Lease>> RenewLeasesAsync(
        IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (leases.Count == 0)
        {
            return [];
        }

        var expiresAt = Time.Now() + (long)duration.TotalMilliseconds;

        // One statement for every lease this node holds, however many customers that is. The rows are locked in
        // customer order first, as a group checkpoint share-locks them, so a renewal and a checkpoint of the same
        // leases never deadlock.
        using var renew = _database.Command("""
            WITH renewing AS (
                SELECT l.customer_id FROM leases AS l
                JOIN unnest(@customers, @nodes, @tokens) AS held (customer_id, node_id, fencing_token)
                  ON l.customer_id = held.customer_id AND l.node_id = held.node_id AND l.fencing_token = held.fencing_token
                ORDER BY l.customer_id
                FOR UPDATE OF l)
            UPDATE leases AS l SET expires_at = @expires_at
            FROM renewing
            WHERE l.customer_id = renewing.customer_id
            RETURNING l.customer_id, l.fencing_token
            """);
        renew.Bind("@expires_at", expiresAt);
        renew.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, leases.Select(l => l.Customer.Value).ToArray());
        renew.Bind("@nodes", NpgsqlDbType.Array | NpgsqlDbType.Text, leases.Select(l => l.NodeId).ToArray());
        renew.Bind("@tokens", NpgsqlDbType.Array | NpgsqlDbType.Bigint, leases.Select(l => l.FencingToken).ToArray());
        var renewed = (await renew.ReadAllAsync(row => (row.GetString(0), row.GetInt64(1)), cancellationToken).ConfigureAwait(false)).ToHashSet();

        return leases
            .Where(l => renewed.Contains((l.Customer.Value, l.FencingToken)))
            .Select(l => l with { ExpiresAt = UnixMs.ToTime(expiresAt) })
            .ToArray();
    }
}
