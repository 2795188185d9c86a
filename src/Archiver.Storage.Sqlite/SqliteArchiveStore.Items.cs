using System.Data;
using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public override async Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return [];
        }

        var customers = items.Select(item => item.Customer).Distinct().ToList();
        var now = Time.Now();

        var results = await _database.WriteAsync(
            async transaction =>
            {
                await EnsureCustomersExistAsync(transaction, customers, cancellationToken).ConfigureAwait(false);

                using var inserter = new ItemInserter(transaction, now);
                var results = new EnqueueResult[items.Count];
                for (var i = 0; i < items.Count; i++)
                {
                    results[i] = await inserter.InsertAsync(items[i], cancellationToken).ConfigureAwait(false);
                }

                return results;
            },
            cancellationToken).ConfigureAwait(false);

        // Only after the commit: a woken feed must find the items.
        foreach (var customer in items.Where((_, i) => results[i].Created).Select(item => item.Customer).Distinct())
        {
            _workSignal.Notify(customer);
        }

        return results;
    }

    public override Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var now = Time.Now();

        return _database.WriteAsync<IReadOnlyList<ArchiveItem>>(
            async transaction =>
            {
                if (max == 0 || !await IsCurrentAsync(transaction, lease, cancellationToken).ConfigureAwait(false))
                {
                    return [];
                }

                using var claim = transaction.Command($"""
                    UPDATE items
                    SET status = 'in_flight', fencing_token = @token, updated_at = @now
                    WHERE id IN (
                        SELECT id FROM items
                        WHERE customer_id = @customer AND status = 'pending' AND next_attempt_at <= @now AND id > @after_id
                        ORDER BY id
                        LIMIT @max)
                    RETURNING {ItemRow.ItemColumns}
                    """);
                claim.Bind("@customer", lease.Customer.Value);
                claim.Bind("@token", lease.FencingToken);
                claim.Bind("@now", now);
                claim.Bind("@after_id", afterId);
                claim.Bind("@max", max);

                using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await ItemRow.ReadClaimedAsync(reader, max, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private static async Task EnsureCustomersExistAsync(
        DbTransaction transaction, IEnumerable<CustomerId> customers, CancellationToken cancellationToken)
    {
        using var exists = transaction.Command("SELECT 1 FROM customers WHERE id = @id");
        var id = exists.Parameter("@id", DbType.String);
        foreach (var customer in customers)
        {
            id.Set(customer.Value);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw NoSuchCustomer.ToEnqueue(customer);
            }
        }
    }
}
