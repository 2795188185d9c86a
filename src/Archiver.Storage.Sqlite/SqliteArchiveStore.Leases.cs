using System.Data;
using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    /// <summary>
    /// SQLite's take: the write transaction keeps every other writer out, so it reads the row, decides, and writes it
    /// with the next token.
    /// </summary>
    private protected override async Task<(long FencingToken, string? PassedOver)?> TakeLeaseAsync(
        DbTransaction transaction, LeaseRequest request, CancellationToken cancellationToken)
    {
        await EnsureCustomerExistsAsync(transaction, request.Customer, cancellationToken).ConfigureAwait(false);

        using var current = transaction.Command("SELECT node_id, fencing_token, expires_at FROM leases WHERE customer_id = @customer");
        current.Bind("@customer", request.Customer.Value);
        long previousToken = 0;
        string? passedOver = null; // an unexpired holder the cluster no longer counts as a member
        using (var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var holder = reader.GetStringOrNull(0);
                var heldByAnother = holder is not null && holder != request.NodeId && reader.GetInt64(2) > request.Now;
                var holderIsMember = request.LiveNodes is null || (holder is not null && request.LiveNodes.Contains(holder));
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
        take.Bind("@customer", request.Customer.Value);
        take.Bind("@node", request.NodeId);
        take.Bind("@token", token);
        take.Bind("@expires_at", request.ExpiresAt);
        await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (token, passedOver);
    }

    public override Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var expiresAt = Time.Now() + (long)duration.TotalMilliseconds;

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

    private static async Task EnsureCustomerExistsAsync(DbTransaction transaction, CustomerId customer, CancellationToken cancellationToken)
    {
        using var exists = transaction.Command("SELECT 1 FROM customers WHERE id = @id");
        exists.Bind("@id", customer.Value);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw NoSuchCustomer.ToLease(customer);
        }
    }
}
