using Archiver.Storage.Relational;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public async Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await using var insert = _dataSource.CreateCommand("""
            INSERT INTO events (at, customer_id, item_id, type, details)
            SELECT @now, customer_id, item_id, type, details
            FROM unnest(@customers, @items, @types, @details) WITH ORDINALITY AS entry (customer_id, item_id, type, details, ord)
            ORDER BY ord
            """);
        insert.Bind("@now", _time.Now());
        insert.Bind("@customers", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Customer?.Value).ToArray());
        insert.Bind("@items", NpgsqlDbType.Array | NpgsqlDbType.Bigint, events.Select(e => e.ItemId).ToArray());
        insert.Bind("@types", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Type).ToArray());
        insert.Bind("@details", NpgsqlDbType.Array | NpgsqlDbType.Text, events.Select(e => e.Details).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var customerFilter = query.Customer is null ? "" : "AND customer_id = @customer";
        var typeFilter = query.Type is null ? "" : "AND type = @type";

        await using var select = _dataSource.CreateCommand($"""
            SELECT {EventRow.Columns} FROM events
            WHERE seq > @after {customerFilter} {typeFilter}
            ORDER BY seq
            LIMIT @limit
            """);
        select.Bind("@after", query.AfterSequence);
        select.Bind("@limit", query.Limit);
        if (query.Customer is { } customer)
        {
            select.Bind("@customer", customer.Value);
        }

        if (query.Type is { } type)
        {
            select.Bind("@type", type);
        }

        var events = new List<ArchiveEvent>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(EventRow.Read(reader));
        }

        return events;
    }
}
