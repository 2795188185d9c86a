using Archiver.Core.Items;

namespace Archiver.Core.Storage;

/// <summary>An item with everything the store knows about it, for inspection.</summary>
public sealed record StoredItem(
    ArchiveItem Item,
    ItemStatus Status,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    ArchivedFile? Archived,
    DateTimeOffset UpdatedAt);
