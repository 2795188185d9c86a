using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        var now = _time.Now();
        return _database.WriteAsync(
            async transaction =>
            {
                using var writer = new EventWriter(transaction);
                foreach (var entry in events)
                {
                    await writer.AppendAsync(entry, now, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var customerFilter = query.Customer is null ? "" : "AND customer_id = @customer";
        var typeFilter = query.Type is null ? "" : "AND type = @type";

        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command($"""
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
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(EventRow.Read(reader));
        }

        return events;
    }
}
