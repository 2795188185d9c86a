using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    public async Task<long?> GetAlertCursorAsync(string webhook, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhook);
        var sequence = await ReadScalarAsync(
                "SELECT seq FROM alert_cursors WHERE webhook = @webhook", select => select.Bind("@webhook", webhook), cancellationToken)
            .ConfigureAwait(false);
        return sequence is null or DBNull ? null : Convert.ToInt64(sequence, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task SaveAlertCursorAsync(string webhook, long sequence, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhook);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var now = Time.Now();

        // Only ever forward: two nodes delivering during a change of leader must not move a cursor back.
        return Database.ExecuteAsync(
            """
            INSERT INTO alert_cursors (webhook, seq, updated_at) VALUES (@webhook, @seq, @now)
            ON CONFLICT (webhook) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at
            WHERE alert_cursors.seq < excluded.seq
            """,
            upsert =>
            {
                upsert.Bind("@webhook", webhook);
                upsert.Bind("@seq", sequence);
                upsert.Bind("@now", now);
            },
            cancellationToken);
    }

    public async Task<long> GetLastEventSequenceAsync(CancellationToken cancellationToken)
    {
        var last = await ReadScalarAsync("SELECT COALESCE(MAX(seq), 0) FROM events", bind: null, cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(last, System.Globalization.CultureInfo.InvariantCulture);
    }
}
