using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public override async Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(
        IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var batch = OutcomeBatch.Of(checkpoints);
        if (batch.Ids.Length == 0)
        {
            return [.. checkpoints.Select(_ => new CheckpointResult(0, 0))];
        }

        // One statement, so one round trip and one commit for every lease: the fencing check (share-locking each
        // lease row still current), every outcome, and the journal entries of the failures. Each outcome applies only
        // to an item still in flight under its own lease's token; a stale lease's outcomes apply to nothing. Lease rows
        // are locked in customer order, as the node's renewal locks them, so the two never deadlock.
        using var checkpoint = _database.Command("""
            WITH outcome AS (
                SELECT * FROM unnest(@entries, @customers, @tokens, @ids, @outcomes, @dropbox_ids, @revs, @paths, @content_hashes, @sizes, @not_befores, @reasons, @attempts)
                    WITH ORDINALITY AS o (entry, customer, token, id, outcome, dropbox_id, rev, path, content_hash, size, not_before, reason, attempt, ord)),
            current_lease AS (
                SELECT leases.customer_id, leases.fencing_token FROM leases
                JOIN (SELECT DISTINCT customer, token FROM outcome) AS asked
                  ON leases.customer_id = asked.customer AND leases.fencing_token = asked.token
                ORDER BY leases.customer_id
                FOR SHARE OF leases),
            applied AS (
                UPDATE items SET
                    status          = CASE outcome.outcome WHEN 'archived' THEN 'archived' WHEN 'retry' THEN 'pending' ELSE 'failed' END,
                    dropbox_id      = CASE WHEN outcome.outcome = 'archived' THEN outcome.dropbox_id ELSE items.dropbox_id END,
                    rev             = CASE WHEN outcome.outcome = 'archived' THEN outcome.rev ELSE items.rev END,
                    archived_path   = CASE WHEN outcome.outcome = 'archived' THEN outcome.path ELSE items.archived_path END,
                    content_hash    = CASE WHEN outcome.outcome = 'archived' THEN outcome.content_hash ELSE items.content_hash END,
                    archived_size   = CASE WHEN outcome.outcome = 'archived' THEN outcome.size ELSE items.archived_size END,
                    last_error      = CASE WHEN outcome.outcome = 'archived' THEN NULL ELSE outcome.reason END,
                    next_attempt_at = CASE WHEN outcome.outcome = 'retry' THEN outcome.not_before ELSE items.next_attempt_at END,
                    attempts        = items.attempts + CASE WHEN outcome.outcome = 'retry' THEN outcome.attempt ELSE 0 END,
                    updated_at      = @now
                FROM outcome JOIN current_lease
                  ON current_lease.customer_id = outcome.customer AND current_lease.fencing_token = outcome.token
                WHERE items.id = outcome.id AND items.customer_id = outcome.customer AND items.status = 'in_flight'
                  AND items.fencing_token = outcome.token
                RETURNING items.id, outcome.entry, outcome.customer, outcome.outcome, outcome.reason, outcome.ord),
            journaled AS (
                INSERT INTO events (at, customer_id, item_id, type, details)
                SELECT @now, customer, id, @item_failed, reason FROM applied WHERE outcome = 'failed' ORDER BY ord)
            SELECT entry, COUNT(*) FROM applied GROUP BY entry
            """);
        checkpoint.Bind("@now", Time.Now());
        checkpoint.Bind("@item_failed", EventTypes.ItemFailed);
        checkpoint.Bind("@entries", NpgsqlDbType.Array | NpgsqlDbType.Integer, batch.Entries);
        checkpoint.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Customers);
        checkpoint.Bind("@tokens", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.Tokens);
        checkpoint.Bind("@ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.Ids);
        checkpoint.Bind("@outcomes", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Outcomes);
        checkpoint.Bind("@dropbox_ids", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.DropboxIds);
        checkpoint.Bind("@revs", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Revs);
        checkpoint.Bind("@paths", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Paths);
        checkpoint.Bind("@content_hashes", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.ContentHashes);
        checkpoint.Bind("@sizes", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.Sizes);
        checkpoint.Bind("@not_befores", NpgsqlDbType.Array | NpgsqlDbType.Bigint, batch.NotBefores);
        checkpoint.Bind("@reasons", NpgsqlDbType.Array | NpgsqlDbType.Text, batch.Reasons);
        checkpoint.Bind("@attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer, batch.Attempts);

        var applied = new int[checkpoints.Count];
        var reader = await checkpoint.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied[reader.GetInt32(0)] = (int)reader.GetInt64(1);
            }
        }

        return [.. checkpoints.Select((c, entry) => new CheckpointResult(applied[entry], c.Outcomes.Count - applied[entry]))];
    }

    public override async Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken)
    {
        // The customer's owner may be another node: NOTIFY on commit wakes its feed; the local signal wakes ours.
        using var retry = _database.Command("""
            WITH retried AS (
                UPDATE items
                SET status = 'pending', next_attempt_at = @now, attempts = 0, last_error = NULL, updated_at = @now
                WHERE customer_id = @customer AND status = 'failed'
                RETURNING 1)
            SELECT n, pg_notify(@channel, @payload)::text FROM (SELECT count(*)::int AS n FROM retried) AS counted WHERE n > 0
            """);
        retry.Bind("@customer", customer.Value);
        retry.Bind("@now", Time.Now());
        retry.Bind("@channel", WorkListener.Channel);
        retry.Bind("@payload", _listener.PayloadFor(customer.Value));
        var retried = await retry.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int n ? n : 0;
        if (retried > 0)
        {
            _workSignal.Notify(customer);
        }

        return retried;
    }
}
