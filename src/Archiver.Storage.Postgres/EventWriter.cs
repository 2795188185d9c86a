using Archiver.Customers;
using Npgsql;
using NpgsqlTypes;

namespace Archiver.Storage.Postgres;

/// <summary>Appends journal entries inside a store operation's transaction.</summary>
internal static class EventWriter
{
    public static async Task AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string type,
        CustomerId? customer,
        long? itemId,
        string details,
        long atMs,
        CancellationToken cancellationToken)
    {
        await using var insert = connection.Command("""
            INSERT INTO events (at, customer_id, item_id, type, details)
            VALUES (@at, @customer, @item, @type, @details)
            """, transaction);
        insert.Bind("@at", atMs);
        insert.Bind("@customer", NpgsqlDbType.Text, customer?.Value);
        insert.Bind("@item", NpgsqlDbType.Bigint, itemId);
        insert.Bind("@type", type);
        insert.Bind("@details", details);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
