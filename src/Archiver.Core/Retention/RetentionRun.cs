using Archiver.Core.Storage;

namespace Archiver.Core.Retention;

/// <summary>One run of the <see cref="RetentionPruner"/>: when it started, what it removed, how long it took, and why it stopped early, if it did.</summary>
/// <param name="Removed">What went, up to the failure when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the run stopped before removing everything old; null when it did not.</param>
public sealed record RetentionRun(DateTimeOffset StartedAt, TimeSpan Duration, RetentionCounts Removed, string? Error);
