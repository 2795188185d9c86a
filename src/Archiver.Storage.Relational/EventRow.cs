using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

/// <summary>Reads an <see cref="ArchiveEvent"/> from a row selected with <see cref="Columns"/>.</summary>
internal static class EventRow
{
    public const string Columns = "seq, at, customer_id, item_id, type, details";

    public static ArchiveEvent Read(DbDataReader row) => new(
        row.GetInt64(0),
        UnixMs.ToTime(row.GetInt64(1)),
        row.GetStringOrNull(2) is { } customer ? new CustomerId(customer) : null,
        row.GetInt64OrNull(3),
        row.GetString(4),
        row.GetString(5));
}
