using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

/// <summary>
/// Items to and from rows: reads rows selected with <see cref="ItemColumns"/> or <see cref="StoredItemColumns"/>, and
/// checks what a new item's row will hold.
/// </summary>
internal static class ItemRow
{
    public const string ItemColumns =
        "id, customer_id, external_id, kind, source, size, occurred_at, from_party, to_party, attempts, enqueued_at";

    public const string StoredItemColumns = ItemColumns +
        ", status, next_attempt_at, last_error, dropbox_id, rev, archived_path, content_hash, archived_size, updated_at";

    /// <summary><see cref="ItemColumns"/> qualified with a table alias, for statements that join.</summary>
    public static string ItemColumnsOf(string alias) =>
        string.Join(", ", ItemColumns.Split(", ").Select(column => $"{alias}.{column}"));

    /// <summary>The text a new item's source is stored as. Throws <see cref="ArgumentException"/> for a relative URI.</summary>
    public static string SourceOf(NewItem item) =>
        item.Source.IsAbsoluteUri
            ? item.Source.AbsoluteUri
            : throw new ArgumentException($"Item '{item.ExternalId}' of customer {item.Customer}: source '{item.Source}' must be an absolute URI such as file:///data/call.wav.");

    public static ArchiveItem ReadItem(DbDataReader row) => new(
        row.GetInt64(0),
        new CustomerId(row.GetString(1)),
        row.GetString(2),
        DbText.ToItemKind(row.GetString(3)),
        new Uri(row.GetString(4), UriKind.Absolute),
        new ItemMetadata(UnixMs.ToTime(row.GetInt64(6)), row.GetStringOrNull(7), row.GetStringOrNull(8)),
        row.GetInt64OrNull(5),
        row.GetInt32(9),
        UnixMs.ToTime(row.GetInt64(10)));

    public static StoredItem ReadStoredItem(DbDataReader row) => new(
        ReadItem(row),
        DbText.ToItemStatus(row.GetString(11)),
        UnixMs.ToTime(row.GetInt64(12)),
        row.GetStringOrNull(13),
        ReadArchivedFile(row),
        UnixMs.ToTime(row.GetInt64(19)));

    /// <summary>
    /// Reads the rows a claim returned (<see cref="ItemColumns"/>) in id order: <c>RETURNING</c> gives rows in no
    /// promised order, and the feed pages by id. Completes without allocating a task when the rows are already at hand.
    /// </summary>
    public static async ValueTask<IReadOnlyList<ArchiveItem>> ReadClaimedAsync(DbDataReader claimed, int max, CancellationToken cancellationToken)
    {
        var items = new List<ArchiveItem>(max);
        while (await claimed.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadItem(claimed));
        }

        items.Sort((a, b) => a.Id.CompareTo(b.Id));
        return items;
    }

    private static ArchivedFile? ReadArchivedFile(DbDataReader row) =>
        row.IsDBNull(14)
            ? null
            : new ArchivedFile(row.GetString(14), row.GetString(15), row.GetString(16), row.GetString(17), row.GetInt64(18));
}
