namespace Archiver.Core.Storage;

/// <summary>Rows retention removed, or would remove: archived items, ordinary journal entries, failure entries.</summary>
public sealed record RetentionCounts(long ArchivedItems, long Events, long FailureEvents)
{
    public static RetentionCounts None { get; } = new(0, 0, 0);

    public long Total => ArchivedItems + Events + FailureEvents;
}
