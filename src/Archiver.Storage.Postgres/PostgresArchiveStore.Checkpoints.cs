using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public override async Task<CheckpointResult> CheckpointAsync(
        Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return new CheckpointResult(0, 0);
        }

        var batch = OutcomeBatch.Of(outcomes);

        // One statement: the fencing check (share-locking the lease row), every outcome, and the journal entries of
        // the failures. Each outcome applies only to an item still in flight under the lease's token.
        using var checkpoint = _database.Command($"""
            WITH {CurrentLeaseCte},
            outcome AS (
                SELECT * FROM unnest(@ids, @outcomes, @dropbox_ids, @revs, @paths, @content_hashes, @sizes, @not_befores, @reasons, @attempts)
                    WITH ORDINALITY AS o (id, outcome, dropbox_id, rev, path, content_hash, size, not_before, reason, attempt, ord)),
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
                FROM outcome
                WHERE items.id = outcome.id AND items.customer_id = @customer AND items.status = 'in_flight'
                  AND items.fencing_token = @token AND EXISTS (SELECT 1 FROM current_lease)
                RETURNING items.id, outcome.outcome, outcome.reason, outcome.ord),
            journaled AS (
                INSERT INTO events (at, customer_id, item_id, type, details)
                SELECT @now, @customer, id, @item_failed, reason FROM applied WHERE outcome = 'failed' ORDER BY ord)
            SELECT COUNT(*) FROM applied
            """);
        checkpoint.Bind("@customer", lease.Customer.Value);
        checkpoint.Bind("@token", lease.FencingToken);
        checkpoint.Bind("@now", Time.Now());
        checkpoint.Bind("@item_failed", EventTypes.ItemFailed);
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

        var applied = (int)(long)(await checkpoint.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new CheckpointResult(applied, outcomes.Count - applied);
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
