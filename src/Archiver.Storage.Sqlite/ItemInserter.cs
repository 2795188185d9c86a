using Archiver.Items;
using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// Inserts enqueued items inside a write transaction with two statements prepared once and run per item:
/// the insert, and for a (customer, external id) already stored, the lookup of the existing id.
/// </summary>
internal sealed class ItemInserter : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _customer;
    private readonly SqliteParameter _externalId;
    private readonly SqliteParameter _kind;
    private readonly SqliteParameter _source;
    private readonly SqliteParameter _size;
    private readonly SqliteParameter _occurredAt;
    private readonly SqliteParameter _from;
    private readonly SqliteParameter _to;

    private readonly SqliteCommand _findExisting;
    private readonly SqliteParameter _existingCustomer;
    private readonly SqliteParameter _existingExternalId;

    public ItemInserter(WriteTransaction transaction, long nowMs)
    {
        _insert = transaction.Command("""
            INSERT INTO items (customer_id, external_id, kind, source, size, occurred_at, from_party, to_party,
                               status, attempts, next_attempt_at, enqueued_at, updated_at)
            VALUES (@customer, @external_id, @kind, @source, @size, @occurred_at, @from, @to,
                    'pending', 0, @now, @now, @now)
            ON CONFLICT (customer_id, external_id) DO NOTHING
            RETURNING id
            """);
        _customer = _insert.Parameter("@customer", SqliteType.Text);
        _externalId = _insert.Parameter("@external_id", SqliteType.Text);
        _kind = _insert.Parameter("@kind", SqliteType.Text);
        _source = _insert.Parameter("@source", SqliteType.Text);
        _size = _insert.Parameter("@size", SqliteType.Integer);
        _occurredAt = _insert.Parameter("@occurred_at", SqliteType.Integer);
        _from = _insert.Parameter("@from", SqliteType.Text);
        _to = _insert.Parameter("@to", SqliteType.Text);
        _insert.Bind("@now", nowMs);

        _findExisting = transaction.Command("SELECT id FROM items WHERE customer_id = @customer AND external_id = @external_id");
        _existingCustomer = _findExisting.Parameter("@customer", SqliteType.Text);
        _existingExternalId = _findExisting.Parameter("@external_id", SqliteType.Text);
    }

    public async Task<EnqueueResult> InsertAsync(NewItem item, CancellationToken cancellationToken)
    {
        _customer.Set(item.Customer.Value);
        _externalId.Set(item.ExternalId);
        _kind.Set(DbText.Of(item.Kind));
        if (!item.Source.IsAbsoluteUri)
        {
            throw new ArgumentException($"Item '{item.ExternalId}' of customer {item.Customer}: source '{item.Source}' must be an absolute URI such as file:///data/call.wav.");
        }

        _source.Set(item.Source.AbsoluteUri);
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
