using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    public abstract Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken);

    public async Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken)
    {
        var dueAt = await ReadScalarAsync(
                "SELECT MIN(next_attempt_at) FROM items WHERE customer_id = @customer AND status = 'pending'",
                select => select.Bind("@customer", customer.Value),
                cancellationToken)
            .ConfigureAwait(false);
        return dueAt is long milliseconds ? UnixMs.ToTime(milliseconds) : null;
    }

    public async Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);

        var statusFilter = query.Status is null ? "" : "AND status = @status";
        return await ReadAsync(
                $"""
                SELECT {ItemRow.StoredItemColumns} FROM items
                WHERE customer_id = @customer {statusFilter} AND id > @after_id
                ORDER BY id
                LIMIT @limit
                """,
                select =>
                {
                    select.Bind("@customer", query.Customer.Value);
                    if (query.Status is { } status)
                    {
                        select.Bind("@status", DbText.Of(status));
                    }

                    select.Bind("@after_id", query.AfterId);
                    select.Bind("@limit", query.Limit);
                },
                ItemRow.ReadStoredItem,
                cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CustomerProgress>> GetProgressAsync(CustomerId? customer, CancellationToken cancellationToken)
    {
        // One row per (customer, status) present, and one row with a NULL status for a customer without items.
        var itemFilter = customer is null ? "" : "WHERE customer_id = @customer";
        var customerFilter = customer is null ? "" : "WHERE c.id = @customer";

        var rows = await ReadAsync(
                $"""
                SELECT c.id, counts.status, counts.n
                FROM customers c
                LEFT JOIN (SELECT customer_id, status, COUNT(*) AS n FROM items {itemFilter} GROUP BY customer_id, status) counts
                    ON counts.customer_id = c.id
                {customerFilter}
                ORDER BY c.id
                """,
                select =>
                {
                    if (customer is { } only)
                    {
                        select.Bind("@customer", only.Value);
                    }
                },
                ProgressFold.ReadRow,
                cancellationToken)
            .ConfigureAwait(false);
        return ProgressFold.Of(rows);
    }
}
