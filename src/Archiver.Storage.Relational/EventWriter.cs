using System.Data;
using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

/// <summary>Appends journal entries inside a write transaction, reusing one prepared statement.</summary>
internal sealed class EventWriter : IDisposable
{
    private readonly DbCommand _insert;
    private readonly DbParameter _at;
    private readonly DbParameter _customer;
    private readonly DbParameter _item;
    private readonly DbParameter _type;
    private readonly DbParameter _details;

    public EventWriter(DbTransaction transaction)
    {
        _insert = transaction.Command("""
            INSERT INTO events (at, customer_id, item_id, type, details)
            VALUES (@at, @customer, @item, @type, @details)
            """);
        _at = _insert.Parameter("@at", DbType.Int64);
        _customer = _insert.Parameter("@customer", DbType.String);
        _item = _insert.Parameter("@item", DbType.Int64);
        _type = _insert.Parameter("@type", DbType.String);
        _details = _insert.Parameter("@details", DbType.String);
    }

    /// <summary>Appends one entry in <paramref name="transaction"/>, for a statement that journals just that.</summary>
    public static async Task AppendOneAsync(
        DbTransaction transaction, string type, CustomerId? customer, long? itemId, string details, long atMs, CancellationToken cancellationToken)
    {
        using var writer = new EventWriter(transaction);
        await writer.AppendAsync(type, customer, itemId, details, atMs, cancellationToken).ConfigureAwait(false);
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
