using Archiver.Core.Retention;

namespace Archiver.Api;

/// <summary>
/// The last run of retention on the node answering: when it started, how long it took, what it removed, and why it
/// stopped early (null when it did not).
/// </summary>
internal sealed record RetentionView(DateTimeOffset StartedAt, double DurationSeconds, long ArchivedItems, long Events, long FailureEvents, string? Error)
{
    public static RetentionView? Of(RetentionRun? run) => run is null ? null : new(
        run.StartedAt,
        Math.Round(run.Duration.TotalSeconds, 3),
        run.Removed.ArchivedItems,
        run.Removed.Events,
        run.Removed.FailureEvents,
        run.Error);
}
