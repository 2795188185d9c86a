using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    public abstract Task AppendEventsAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<ArchiveEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var customerFilter = query.Customer is null ? "" : "AND customer_id = @customer";
        var typeFilter = query.Type is null ? "" : "AND type = @type";

        return await ReadAsync(
                $"""
                SELECT {EventRow.Columns} FROM events
                WHERE seq > @after {customerFilter} {typeFilter}
                ORDER BY seq
                LIMIT @limit
                """,
                select =>
                {
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
                },
                EventRow.Read,
                cancellationToken)
            .ConfigureAwait(false);
    }
}
