using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
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

    public override async Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken)
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
                var (results, created) = await _database.WriteAsync(
                        transaction => InsertAsync(transaction, items, batch, Time.Now(), cancellationToken),
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
        using var analyze = _database.Command("ANALYZE items");
        await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(EnqueueResult[] Results, IReadOnlyList<CustomerId> Created)> InsertAsync(
        DbTransaction transaction, IReadOnlyList<NewItem> items, ItemBatch batch, long now, CancellationToken cancellationToken)
    {
        await EnsureCustomersExistAsync(transaction, batch.Customers, cancellationToken).ConfigureAwait(false);

        // One statement for the whole batch, in the caller's order so ids grow in enqueue order. A (customer,
        // external id) already stored, or repeated within the batch, is skipped here and looked up below.
        using var insert = transaction.Command("""
            INSERT INTO items (customer_id, external_id, kind, source, size, occurred_at, from_party, to_party,
                               status, attempts, next_attempt_at, enqueued_at, updated_at)
            SELECT customer_id, external_id, kind, source, size, occurred_at, from_party, to_party,
                   'pending', 0, @now, @now, @now
            FROM unnest(@customers, @external_ids, @kinds, @sources, @sizes, @occurred_ats, @froms, @tos)
                 WITH ORDINALITY AS batch (customer_id, external_id, kind, source, size, occurred_at, from_party, to_party, ord)
            ORDER BY ord
            ON CONFLICT (customer_id, external_id) DO NOTHING
            RETURNING id, customer_id, external_id
            """);
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
        var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
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
            await FindExistingAsync(transaction, batch, missing, results, cancellationToken).ConfigureAwait(false);
        }

        var created = items.Where((_, i) => results[i].Created).Select(item => item.Customer).Distinct().ToList();
        await NotifyAsync(transaction, created, cancellationToken).ConfigureAwait(false);
        return (results, created);
    }

    private static async Task FindExistingAsync(
        DbTransaction transaction, ItemBatch batch, List<int> missing, EnqueueResult[] results, CancellationToken cancellationToken)
    {
        using var select = transaction.Command("""
            SELECT wanted.ord, items.id
            FROM unnest(@customers, @external_ids) WITH ORDINALITY AS wanted (customer_id, external_id, ord)
            JOIN items ON items.customer_id = wanted.customer_id AND items.external_id = wanted.external_id
            """);
        select.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, missing.Select(i => batch.CustomerIds[i]).ToArray());
        select.Bind("@external_ids", NpgsqlDbType.Array | NpgsqlDbType.Text, missing.Select(i => batch.ExternalIds[i]).ToArray());
        var found = 0;
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                results[missing[(int)reader.GetInt64(0) - 1]] = new EnqueueResult(reader.GetInt64(1), Created: false);
                found++;
            }
        }

        if (found != missing.Count)
        {
            throw new InvalidOperationException("An item skipped as already stored could not be found; the enqueue is rolled back.");
        }
    }

    /// <summary>Tells every node's listener, on commit, that these customers have new work.</summary>
    private async Task NotifyAsync(DbTransaction transaction, IReadOnlyList<CustomerId> customers, CancellationToken cancellationToken)
    {
        if (customers.Count == 0)
        {
            return;
        }

        using var notify = transaction.Command("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload");
        notify.Bind("@channel", WorkListener.Channel);
        notify.Bind("@payloads", NpgsqlDbType.Array | NpgsqlDbType.Text, customers.Select(c => _listener.PayloadFor(c.Value)).ToArray());
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return [];
        }

        // One statement: the fencing check (share-locking the lease row), the pick (skipping rows another claimer
        // has locked) and the update. A stale token picks nothing.
        using var claim = _database.Command($"""
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
        claim.Bind("@now", Time.Now());
        claim.Bind("@after_id", afterId);
        claim.Bind("@max", max);

        var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await ItemRow.ReadClaimedAsync(reader, max, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureCustomersExistAsync(
        DbTransaction transaction, IReadOnlyList<CustomerId> customers, CancellationToken cancellationToken)
    {
        using var select = transaction.Command("SELECT id FROM customers WHERE id = ANY(@ids)");
        select.Bind("@ids", NpgsqlDbType.Array | NpgsqlDbType.Text, customers.Select(c => c.Value).ToArray());
        var known = (await select.ReadAllAsync(row => row.GetString(0), cancellationToken).ConfigureAwait(false)).ToHashSet();
        if (customers.FirstOrDefault(c => !known.Contains(c.Value)) is { Value: not null } unknown)
        {
            throw NoSuchCustomer.ToEnqueue(unknown);
        }
    }
}
