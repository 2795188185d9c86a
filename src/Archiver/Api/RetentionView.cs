using Archiver.Core.Retention;

namespace Archiver.Api;

/// <summary>
/// The last run of retention on the node answering: when it started, how long it took, what it removed, and why it
/// stopped early (null when it did not); and how often it runs, so that a reader can tell when the next run is due.
/// </summary>
/// <param name="IntervalSeconds">The node's <c>archiver.retention.interval</c>: runs start that far apart.</param>
internal sealed record RetentionView(
    DateTimeOffset StartedAt, double DurationSeconds, long ArchivedItems, long Events, long FailureEvents, string? Error, double IntervalSeconds)
{
    public static RetentionView? Of(RetentionRun? run, TimeSpan interval) => run is null ? null : new(
        run.StartedAt,
        Math.Round(run.Duration.TotalSeconds, 3),
        run.Removed.ArchivedItems,
        run.Removed.Events,
        run.Removed.FailureEvents,
        run.Error,
        interval.TotalSeconds);
}
