namespace Archiver.Dropbox.Batching;

/// <summary>Exponential backoff with jitter: <c>base × 2^attempt</c>, capped, times a random factor in [0.5, 1.5).</summary>
internal static class Backoff
{
    public static TimeSpan Of(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
    }
}
