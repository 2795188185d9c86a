using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

/// <summary>
/// Folds the rows of the progress query, <c>(customer id, status, count)</c> in customer order, into one
/// <see cref="CustomerProgress"/> per customer. The query gives one row per (customer, status) present, and one row
/// with a NULL status for a customer without items.
/// </summary>
internal static class ProgressFold
{
    /// <summary>One row of the progress query; <c>Status</c> is null for a customer without items.</summary>
    public static (string Customer, string? Status, long Count) ReadRow(DbDataReader row) =>
        row.IsDBNull(1) ? (row.GetString(0), null, 0) : (row.GetString(0), row.GetString(1), row.GetInt64(2));

    public static IReadOnlyList<CustomerProgress> Of(IEnumerable<(string Customer, string? Status, long Count)> rows)
    {
        var counts = new List<(CustomerId Customer, Dictionary<ItemStatus, long> ByStatus)>();
        foreach (var (customer, status, count) in rows)
        {
            var id = new CustomerId(customer);
            if (counts.Count == 0 || counts[^1].Customer != id)
            {
                counts.Add((id, []));
            }

            if (status is not null)
            {
                counts[^1].ByStatus[DbText.ToItemStatus(status)] = count;
            }
        }

        return counts
            .Select(c => new CustomerProgress(
                c.Customer,
                c.ByStatus.GetValueOrDefault(ItemStatus.Pending),
                c.ByStatus.GetValueOrDefault(ItemStatus.InFlight),
                c.ByStatus.GetValueOrDefault(ItemStatus.Archived),
                c.ByStatus.GetValueOrDefault(ItemStatus.Failed)))
            .ToList();
    }
}
