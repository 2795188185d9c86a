using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public override async Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        using var insert = _database.Command("""
            INSERT INTO events (at, customer_id, item_id, type, details)
            SELECT @now, customer_id, item_id, type, details
            FROM unnest(@customers, @items, @types, @details) WITH ORDINALITY AS entry (customer_id, item_id, type, details, ord)
            ORDER BY ord
            """);
        insert.Bind("@now", Time.Now());
        insert.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Customer?.Value).ToArray());
        insert.Bind("@items", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.ItemId).ToArray());
        insert.Bind("@types", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Type).ToArray());
        insert.Bind("@details", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Details).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
