using System.ComponentModel.DataAnnotations;

namespace Archiver.Core.Retention;

/// <summary>
/// How long history is kept, and how it is removed (configuration section <c>archiver:retention</c>). See
/// <see cref="RetentionPruner"/>.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "archiver:retention";

    /// <summary>
    /// An archived item is removed once its last update (its archiving) is older than this. It is also how long an
    /// external id enqueued again is recognised as archived already: once its row is gone, it is archived again.
    /// <value>The default value is 90 days.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00")]
    public TimeSpan ArchivedItems { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A journal entry is removed once older than this, unless it records a failure. <value>The default value is 30 days.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00")]
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// A journal entry that records a failure (<see cref="Storage.EventTypes.Failures"/>) is removed once older than this.
    /// <value>The default value is 180 days.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00")]
    public TimeSpan FailureEvents { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How often the pruner runs, on one node of the cluster. <value>The default value is 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows removed per delete, each in a short transaction of its own. <value>The default value is 1000.</value></summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// How long a run waits between one full batch and the next, leaving the database to archiving: with the defaults
    /// a run removes at most 2,000 rows a second (about 170 million a day), far more than a year of history at
    /// hundreds of thousands of calls a day needs, while a busy node's drain loses little to it.
    /// <value>The default value is 500 milliseconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(500);
}
