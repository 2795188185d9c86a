using Archiver.Core.Customers;

namespace Archiver.Core.Items;

/// <summary>An item as it is enqueued.</summary>
/// <param name="Customer">Whose item it is.</param>
/// <param name="ExternalId">The producing system's id; unique per customer, so enqueueing twice is harmless.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Source">Where its content is read from: a <c>file:</c> or <c>http(s):</c> URI.</param>
/// <param name="Metadata">Facts used to name the file.</param>
/// <param name="Size">Content length in bytes, when known.</param>
public sealed record NewItem(
    CustomerId Customer,
    string ExternalId,
    ItemKind Kind,
    Uri Source,
    ItemMetadata Metadata,
    long? Size = null);
