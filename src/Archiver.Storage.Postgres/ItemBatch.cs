using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Postgres;

/// <summary>A batch of items to enqueue as column arrays, one element per item, checked before anything is written.</summary>
internal sealed class ItemBatch
{
    private ItemBatch(int count)
    {
        CustomerIds = new string[count];
        ExternalIds = new string[count];
        Kinds = new string[count];
        Sources = new string[count];
        Sizes = new long?[count];
        OccurredAts = new long[count];
        Froms = new string?[count];
        Tos = new string?[count];
    }

    public IReadOnlyList<CustomerId> Customers { get; private init; } = [];

    public string[] CustomerIds { get; }

    public string[] ExternalIds { get; }

    public string[] Kinds { get; }

    public string[] Sources { get; }

    public long?[] Sizes { get; }

    public long[] OccurredAts { get; }

    public string?[] Froms { get; }

    public string?[] Tos { get; }

    /// <summary>Throws <see cref="ArgumentException"/> for an item whose source is not an absolute URI.</summary>
    public static ItemBatch Of(IReadOnlyList<NewItem> items)
    {
        var batch = new ItemBatch(items.Count) { Customers = items.Select(item => item.Customer).Distinct().ToList() };
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            batch.Sources[i] = ItemRow.SourceOf(item);
            batch.CustomerIds[i] = item.Customer.Value;
            batch.ExternalIds[i] = item.ExternalId;
            batch.Kinds[i] = DbText.Of(item.Kind);
            batch.Sizes[i] = item.Size;
            batch.OccurredAts[i] = UnixMs.From(item.Metadata.OccurredAt);
            batch.Froms[i] = item.Metadata.From;
            batch.Tos[i] = item.Metadata.To;
        }

        return batch;
    }
}
