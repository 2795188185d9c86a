using System.Data;
using System.Data.Common;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// Inserts enqueued items inside a write transaction with two statements prepared once and run per item:
/// the insert, and for a (customer, external id) already stored, the lookup of the existing id.
/// </summary>
internal sealed class ItemInserter : IDisposable
{
    private readonly DbCommand _insert;
    private readonly DbParameter _customer;
    private readonly DbParameter _externalId;
    private readonly DbParameter _kind;
    private readonly DbParameter _source;
    private readonly DbParameter _size;
    private readonly DbParameter _occurredAt;
    private readonly DbParameter _from;
    private readonly DbParameter _to;

    private readonly DbCommand _findExisting;
    private readonly DbParameter _existingCustomer;
    private readonly DbParameter _existingExternalId;

    public ItemInserter(DbTransaction transaction, long nowMs)
    {
        _insert = transaction.Command("""
            INSERT INTO items (customer_id, external_id, kind, source, size, occurred_at, from_party, to_party,
                               status, attempts, next_attempt_at, enqueued_at, updated_at)
            VALUES (@customer, @external_id, @kind, @source, @size, @occurred_at, @from, @to,
                    'pending', 0, @now, @now, @now)
            ON CONFLICT (customer_id, external_id) DO NOTHING
            RETURNING id
            """);
        _customer = _insert.Parameter("@customer", DbType.String);
        _externalId = _insert.Parameter("@external_id", DbType.String);
        _kind = _insert.Parameter("@kind", DbType.String);
        _source = _insert.Parameter("@source", DbType.String);
        _size = _insert.Parameter("@size", DbType.Int64);
        _occurredAt = _insert.Parameter("@occurred_at", DbType.Int64);
        _from = _insert.Parameter("@from", DbType.String);
        _to = _insert.Parameter("@to", DbType.String);
        _insert.Bind("@now", nowMs);

        _findExisting = transaction.Command("SELECT id FROM items WHERE customer_id = @customer AND external_id = @external_id");
        _existingCustomer = _findExisting.Parameter("@customer", DbType.String);
        _existingExternalId = _findExisting.Parameter("@external_id", DbType.String);
    }

    public async Task<EnqueueResult> InsertAsync(NewItem item, CancellationToken cancellationToken)
    {
        _customer.Set(item.Customer.Value);
        _externalId.Set(item.ExternalId);
        _kind.Set(DbText.Of(item.Kind));
        _source.Set(ItemRow.SourceOf(item));
        _size.Set(item.Size);
        _occurredAt.Set(UnixMs.From(item.Metadata.OccurredAt));
        _from.Set(item.Metadata.From);
        _to.Set(item.Metadata.To);

        if (await _insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long newId)
        {
            return new EnqueueResult(newId, Created: true);
        }

        _existingCustomer.Set(item.Customer.Value);
        _existingExternalId.Set(item.ExternalId);
        var existingId = (long)(await _findExisting.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new EnqueueResult(existingId, Created: false);
    }

    public void Dispose()
    {
        _insert.Dispose();
        _findExisting.Dispose();
    }
}
