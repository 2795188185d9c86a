using Archiver.Core.Customers;

namespace Archiver.Core.Items;

/// <summary>An item as a pipeline sees it once claimed.</summary>
/// <param name="Id">Store-assigned id, increasing in enqueue order; the feed pages by it.</param>
/// <param name="Customer">Whose item it is.</param>
/// <param name="ExternalId">The producing system's id, unique per customer.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Source">Where its content is read from.</param>
/// <param name="Metadata">Facts used to name the file.</param>
/// <param name="Size">Content length in bytes, when known.</param>
/// <param name="Attempts">How many upload attempts ended in a transient failure so far.</param>
/// <param name="EnqueuedAt">When it was enqueued.</param>
public sealed record ArchiveItem(
    long Id,
    CustomerId Customer,
    string ExternalId,
    ItemKind Kind,
    Uri Source,
    ItemMetadata Metadata,
    long? Size,
    int Attempts,
    DateTimeOffset EnqueuedAt);
