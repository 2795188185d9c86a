using System.Data;
using System.Data.Common;
using Archiver.Customers;
using Archiver.Items;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public async Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return [];
        }

        var customers = items.Select(item => item.Customer).Distinct().ToList();
        var now = _time.Now();

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

    public Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var now = _time.Now();

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

    public async Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command(
            "SELECT MIN(next_attempt_at) FROM items WHERE customer_id = @customer AND status = 'pending'");
        select.Bind("@customer", customer.Value);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long dueAt ? UnixMs.ToTime(dueAt) : null;
    }

    public async Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);

        var statusFilter = query.Status is null ? "" : "AND status = @status";

        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command($"""
            SELECT {ItemRow.StoredItemColumns} FROM items
            WHERE customer_id = @customer {statusFilter} AND id > @after_id
            ORDER BY id
            LIMIT @limit
            """);
        select.Bind("@customer", query.Customer.Value);
        if (query.Status is { } status)
        {
            select.Bind("@status", DbText.Of(status));
        }

        select.Bind("@after_id", query.AfterId);
        select.Bind("@limit", query.Limit);

        var items = new List<StoredItem>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ItemRow.ReadStoredItem(reader));
        }

        return items;
    }

    public async Task<IReadOnlyList<CustomerProgress>> GetProgressAsync(CustomerId? customer, CancellationToken cancellationToken)
    {
        // One row per (customer, status) present, and one row with a NULL status for a customer without items.
        var itemFilter = customer is null ? "" : "WHERE customer_id = @customer";
        var customerFilter = customer is null ? "" : "WHERE c.id = @customer";

        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command($"""
            SELECT c.id, counts.status, counts.n
            FROM customers c
            LEFT JOIN (SELECT customer_id, status, COUNT(*) AS n FROM items {itemFilter} GROUP BY customer_id, status) counts
                ON counts.customer_id = c.id
            {customerFilter}
            ORDER BY c.id
            """);
        if (customer is { } only)
        {
            select.Bind("@customer", only.Value);
        }

        var counts = new List<(CustomerId Customer, Dictionary<ItemStatus, long> ByStatus)>();
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = new CustomerId(reader.GetString(0));
            if (counts.Count == 0 || counts[^1].Customer != id)
            {
                counts.Add((id, []));
            }

            if (!reader.IsDBNull(1))
            {
                counts[^1].ByStatus[DbText.ToItemStatus(reader.GetString(1))] = reader.GetInt64(2);
            }
        }

        return counts
            .Select(c => new CustomerProgress(
                c.Customer,
                c.ByStatus.GetValueOrDefault(ItemStatus.Pending),
                c.ByStatus.GetValueOrDefault(ItemStatus.InFlight),
                c.ByStatus.GetValueOrDefault(ItemStatus.Archived),
                c.ByStatus.GetValueOrDefault(ItemStatus.Failed)))
            .ToList();
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
                throw new ArgumentException($"Cannot enqueue items for customer '{customer}': no such customer.", "items");
            }
        }
    }
}
