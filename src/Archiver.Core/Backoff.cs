namespace Archiver.Core;

/// <summary>
/// The one backoff rule for every wait after a failure (an item's retry, a crashed pipeline's restart, a Dropbox commit
/// meeting write contention, a chunk sent again): exponential with equal jitter. After the n-th failure in a row the
/// nominal wait is <c>baseDelay × 2^(n−1)</c>, capped at <c>maxDelay</c>; half of it is always waited and the other half
/// is drawn at random. So callers that failed together spread out instead of retrying in step, no wait is shorter than
/// half its nominal one or longer than the cap, and below the cap each wait is longer than every one before it.
/// </summary>
public static class Backoff
{
    /// <summary>How long to wait after the <paramref name="failures"/>-th failure in a row (1 for the first).</summary>
    public static TimeSpan After(int failures, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var nominal = Math.Min(
            baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)), maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((nominal / 2) * (1 + Random.Shared.NextDouble()));
    }
}
