using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    /// <summary>
    /// The failure types as an SQL list, <c>('item.failed', …)</c>, written as migration 9 writes it in the partial
    /// indexes it builds over the journal, so each delete below reads the index of its kind of entry only.
    /// </summary>
    private static readonly string FailureTypes = "(" + string.Join(", ", EventTypes.Failures.Select(t => "'" + t.Replace("'", "''", StringComparison.Ordinal) + "'")) + ")";

    /// <summary>
    /// What the <c>SELECT</c> that picks a batch of rows to delete ends with, so that a batch never waits on a row
    /// another writer holds (a checkpoint under way) but leaves it for a later batch: <c>FOR UPDATE SKIP LOCKED</c>, or
    /// nothing where a write transaction already keeps every other writer out.
    /// </summary>
    private protected abstract string SkipLocked { get; }

    public Task<int> PruneArchivedItemsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        DeleteBatchAsync(
            $"""
            DELETE FROM items WHERE id IN (
                SELECT id FROM items
                WHERE status = 'archived' AND updated_at < @before
                ORDER BY updated_at
                LIMIT @max
                {SkipLocked})
            """,
            before,
            max,
            cancellationToken);

    public Task<int> PruneEventsAsync(DateTimeOffset before, bool failures, int max, CancellationToken cancellationToken) =>
        DeleteBatchAsync(
            $"""
            DELETE FROM events WHERE seq IN (
                SELECT seq FROM events
                WHERE type {(failures ? "IN" : "NOT IN")} {FailureTypes} AND at < @before
                ORDER BY at
                LIMIT @max
                {SkipLocked})
            """,
            before,
            max,
            cancellationToken);

    /// <summary>Runs one batch's delete, <paramref name="sql"/> taking <c>@before</c> and <c>@max</c>; returns the rows removed.</summary>
    private Task<int> DeleteBatchAsync(string sql, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Database.ExecuteAsync(
            sql,
            delete =>
            {
                delete.Bind("@before", UnixMs.From(before));
                delete.Bind("@max", max);
            },
            cancellationToken);
    }

    public async Task<RetentionCounts> CountPrunableAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var counts = await ReadAsync(
                $"""
                SELECT
                    (SELECT COUNT(*) FROM items WHERE status = 'archived' AND updated_at < @items),
                    (SELECT COUNT(*) FROM events WHERE type NOT IN {FailureTypes} AND at < @events),
                    (SELECT COUNT(*) FROM events WHERE type IN {FailureTypes} AND at < @failures)
                """,
                select =>
                {
                    select.Bind("@items", UnixMs.From(cutoffs.ArchivedItemsBefore));
                    select.Bind("@events", UnixMs.From(cutoffs.EventsBefore));
                    select.Bind("@failures", UnixMs.From(cutoffs.FailureEventsBefore));
                },
                reader => new RetentionCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)),
                cancellationToken)
            .ConfigureAwait(false);
        return counts.Single();
    }
}
