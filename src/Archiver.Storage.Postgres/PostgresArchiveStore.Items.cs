using Archiver.Customers;
using Archiver.Items;
using Archiver.Storage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    /// <summary>Attempts at an enqueue that lost a deadlock to another node enqueueing the same external ids.</summary>
    private const int EnqueueAttempts = 3;

    /// <summary>An enqueue that creates at least this many items refreshes the planner's statistics afterwards.</summary>
    private const int AnalyzeAfterCreating = 10_000;

    public async Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return [];
        }

        var batch = ItemBatch.Of(items);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (results, created) = await InTransactionAsync(
                        (connection, transaction) => InsertAsync(connection, transaction, items, batch, _time.Now(), cancellationToken),
                        cancellationToken)
                    .ConfigureAwait(false);

                if (results.Count(r => r.Created) >= AnalyzeAfterCreating)
                {
                    await AnalyzeItemsAsync(cancellationToken).ConfigureAwait(false);
                }

                // Only after the commit: a woken feed must find the items. Other nodes hear the NOTIFY sent on commit.
                foreach (var customer in created)
                {
                    _workSignal.Notify(customer);
                }

                return results;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < EnqueueAttempts)
            {
                // Two batches inserting the same external ids in different orders: one is chosen to fail; run it again.
            }
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of the items table. Until autovacuum gets to a freshly bulk-loaded table,
    /// the planner believes it nearly empty and a claim fetches and sorts every pending item of the customer
    /// (tens of milliseconds for 100,000) instead of reading one page in id order.
    /// </summary>
    private async Task AnalyzeItemsAsync(CancellationToken cancellationToken)
    {
        await using var analyze = _dataSource.CreateCommand("ANALYZE items");
        await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(EnqueueResult[] Results, IReadOnlyList<CustomerId> Created)> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<NewItem> items, ItemBatch batch, long now, CancellationToken cancellationToken)
    {
        await EnsureCustomersExistAsync(connection, transaction, batch.Customers, cancellationToken).ConfigureAwait(false);

        // One statement for the whole batch, in the caller's order so ids grow in enqueue order. A (customer,
        // external id) already stored, or repeated within the batch, is skipped here and looked up below.
        await using var insert = connection.Command("""
            INSERT INTO items (customer_id, external_id, kind, source, size, occurred_at, from_party, to_party,
                               status, attempts, next_attempt_at, enqueued_at, updated_at)
            SELECT customer_id, external_id, kind, source, size, occurred_at, from_party, to_party,
                   'pending', 0, @now, @now, @now
            FROM unnest(@customers, @external_ids, @kinds, @sources, @sizes, @occurred_ats, @froms, @tos)
                 WITH ORDINALITY AS batch (customer_id, external_id, kind, source, size, occurred_at, from_party, to_party, ord)
            ORDER BY ord
            ON CONFLICT (customer_id, external_id) DO NOTHING
            RETURNING id, customer_id, external_id
            """, transaction);
        insert.Bind("@now", now);
        insert.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.CustomerIds);
        insert.Bind("@external_ids", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.ExternalIds);
        insert.Bind("@kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Kinds);
        insert.Bind("@sources", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Sources);
        insert.Bind("@sizes", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.Sizes);
        insert.Bind("@occurred_ats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.OccurredAts);
        insert.Bind("@froms", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Froms);
        insert.Bind("@tos", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Tos);

        var createdIds = new Dictionary<(string Customer, string ExternalId), long>(items.Count);
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                createdIds[(reader.GetString(1), reader.GetString(2))] = reader.GetInt64(0);
            }
        }

        var results = new EnqueueResult[items.Count];
        var missing = new List<int>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = (batch.CustomerIds[i], batch.ExternalIds[i]);
            if (createdIds.TryGetValue(key, out var id) && seen.Add(key))
            {
                results[i] = new EnqueueResult(id, Created: true);
            }
            else if (createdIds.TryGetValue(key, out id))
            {
                results[i] = new EnqueueResult(id, Created: false); // a repeat within this batch
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            await FindExistingAsync(connection, transaction, batch, missing, results, cancellationToken).ConfigureAwait(false);
        }

        var created = items.Where((_, i) => results[i].Created).Select(item => item.Customer).Distinct().ToList();
        await NotifyAsync(connection, transaction, created, cancellationToken).ConfigureAwait(false);
        return (results, created);
    }

    private static async Task FindExistingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ItemBatch batch, List<int> missing, EnqueueResult[] results, CancellationToken cancellationToken)
    {
        await using var select = connection.Command("""
            SELECT wanted.ord, items.id
            FROM unnest(@customers, @external_ids) WITH ORDINALITY AS wanted (customer_id, external_id, ord)
            JOIN items ON items.customer_id = wanted.customer_id AND items.external_id = wanted.external_id
            """, transaction);
        select.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, missing.Select(i => batch.CustomerIds[i]).ToArray());
        select.Bind("@external_ids", NpgsqlDbType.Array | NpgsqlDbType.Text, missing.Select(i => batch.ExternalIds[i]).ToArray());
        var found = 0;
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results[missing[(int)reader.GetInt64(0) - 1]] = new EnqueueResult(reader.GetInt64(1), Created: false);
            found++;
        }

        if (found != missing.Count)
        {
            throw new InvalidOperationException("An item skipped as already stored could not be found; the enqueue is rolled back.");
        }
    }

    /// <summary>Tells every node's listener, on commit, that these customers have new work.</summary>
    private async Task NotifyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerId> customers, CancellationToken cancellationToken)
    {
        if (customers.Count == 0)
        {
            return;
        }

        await using var notify = connection.Command("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload", transaction);
        notify.Bind("@channel", WorkListener.Channel);
        notify.Bind("@payloads", NpgsqlDbType.Array | NpgsqlDbType.Text, customers.Select(c => _listener.PayloadFor(c.Value)).ToArray());
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return [];
        }

        // One statement: the fencing check (share-locking the lease row), the pick (skipping rows another claimer
        // has locked) and the update. A stale token picks nothing.
        await using var claim = _dataSource.CreateCommand($"""
            WITH {CurrentLeaseCte},
            picked AS (
                SELECT id FROM items
                WHERE customer_id = @customer AND status = 'pending' AND next_attempt_at <= @now AND id > @after_id
                  AND EXISTS (SELECT 1 FROM current_lease)
                ORDER BY id
                LIMIT @max
                FOR UPDATE SKIP LOCKED)
            UPDATE items
            SET status = 'in_flight', fencing_token = @token, updated_at = @now
            FROM picked
            WHERE items.id = picked.id
            RETURNING {ItemRow.ItemColumnsOf("items")}
            """);
        claim.Bind("@customer", lease.Customer.Value);
        claim.Bind("@token", lease.FencingToken);
        claim.Bind("@now", _time.Now());
        claim.Bind("@after_id", afterId);
        claim.Bind("@max", max);

        var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await ItemRow.ReadClaimedAsync(reader, max, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken)
    {
        await using var select = _dataSource.CreateCommand(
            "SELECT MIN(next_attempt_at) FROM items WHERE customer_id = @customer AND status = 'pending'");
        select.Bind("@customer", customer.Value);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long dueAt ? UnixMs.ToTime(dueAt) : null;
    }

    public async Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);

        var statusFilter = query.Status is null ? "" : "AND status = @status";
        await using var select = _dataSource.CreateCommand($"""
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
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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

        await using var select = _dataSource.CreateCommand($"""
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
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerId> customers, CancellationToken cancellationToken)
    {
        await using var select = connection.Command("SELECT id FROM customers WHERE id = ANY(@ids)", transaction);
        select.Bind("@ids", NpgsqlDbType.Array | NpgsqlDbType.Text, customers.Select(c => c.Value).ToArray());
        var known = new HashSet<string>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                known.Add(reader.GetString(0));
            }
        }

        if (customers.FirstOrDefault(c => !known.Contains(c.Value)) is { Value: not null } unknown)
        {
            throw new ArgumentException($"Cannot enqueue items for customer '{unknown}': no such customer.", "items");
        }
    }
}
