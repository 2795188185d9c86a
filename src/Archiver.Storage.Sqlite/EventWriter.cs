using Archiver.Customers;
using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>Appends journal entries inside a write transaction, reusing one prepared statement.</summary>
internal sealed class EventWriter : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _at;
    private readonly SqliteParameter _customer;
    private readonly SqliteParameter _item;
    private readonly SqliteParameter _type;
    private readonly SqliteParameter _details;

    public EventWriter(WriteTransaction transaction)
    {
        _insert = transaction.Command("""
            INSERT INTO events (at, customer_id, item_id, type, details)
            VALUES (@at, @customer, @item, @type, @details)
            """);
        _at = _insert.Parameter("@at", SqliteType.Integer);
        _customer = _insert.Parameter("@customer", SqliteType.Text);
        _item = _insert.Parameter("@item", SqliteType.Integer);
        _type = _insert.Parameter("@type", SqliteType.Text);
        _details = _insert.Parameter("@details", SqliteType.Text);
    }

    public Task AppendAsync(NewEvent entry, long atMs, CancellationToken cancellationToken) =>
        AppendAsync(entry.Type, entry.Customer, entry.ItemId, entry.Details, atMs, cancellationToken);

    public async Task AppendAsync(
        string type, CustomerId? customer, long? itemId, string details, long atMs, CancellationToken cancellationToken)
    {
        _at.Set(atMs);
        _customer.Set(customer?.Value);
        _item.Set(itemId);
        _type.Set(type);
        _details.Set(details);
        await _insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _insert.Dispose();
}
