using Archiver.Core.Items;

namespace Archiver.Api;

/// <summary>One item to enqueue: the body of <c>POST /api/v1/items</c>, or one line of a bulk body.</summary>
/// <param name="Source">A <c>file:</c> or <c>http(s):</c> URI, or an absolute file path.</param>
internal sealed record ItemRequest(
    string? Customer,
    string? ExternalId,
    ItemKind? Kind,
    string? Source,
    DateTimeOffset? OccurredAt,
    string? From,
    string? To,
    long? Size);
