namespace Archiver.Core.Storage;

/// <summary>What retention removes: archived items last updated, ordinary journal entries and failure entries recorded, before each time.</summary>
public sealed record RetentionCutoffs(DateTimeOffset ArchivedItemsBefore, DateTimeOffset EventsBefore, DateTimeOffset FailureEventsBefore);
