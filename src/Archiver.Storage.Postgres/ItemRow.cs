using Archiver.Customers;
using Archiver.Items;
using Npgsql;

namespace Archiver.Storage.Postgres;

/// <summary>Reads items from rows selected with <see cref="ItemColumns"/> or <see cref="StoredItemColumns"/>.</summary>
internal static class ItemRow
{
    public const string ItemColumns =
        "id, customer_id, external_id, kind, source, size, occurred_at, from_party, to_party, attempts, enqueued_at";

    public const string StoredItemColumns = ItemColumns +
        ", status, next_attempt_at, last_error, dropbox_id, rev, archived_path, content_hash, archived_size, updated_at";

    /// <summary><see cref="ItemColumns"/> qualified with a table alias, for statements that join.</summary>
    public static string ItemColumnsOf(string alias) =>
        string.Join(", ", ItemColumns.Split(", ").Select(column => $"{alias}.{column}"));

    public static ArchiveItem ReadItem(NpgsqlDataReader row) => new(
        row.GetInt64(0),
        new CustomerId(row.GetString(1)),
        row.GetString(2),
        DbText.ToItemKind(row.GetString(3)),
        new Uri(row.GetString(4), UriKind.Absolute),
        new ItemMetadata(UnixMs.ToTime(row.GetInt64(6)), row.GetStringOrNull(7), row.GetStringOrNull(8)),
        row.GetInt64OrNull(5),
        row.GetInt32(9),
        UnixMs.ToTime(row.GetInt64(10)));

    public static StoredItem ReadStoredItem(NpgsqlDataReader row) => new(
        ReadItem(row),
        DbText.ToItemStatus(row.GetString(11)),
        UnixMs.ToTime(row.GetInt64(12)),
        row.GetStringOrNull(13),
        ReadArchivedFile(row),
        UnixMs.ToTime(row.GetInt64(19)));

    private static ArchivedFile? ReadArchivedFile(NpgsqlDataReader row) =>
        row.IsDBNull(14)
            ? null
            : new ArchivedFile(row.GetString(14), row.GetString(15), row.GetString(16), row.GetString(17), row.GetInt64(18));
}
