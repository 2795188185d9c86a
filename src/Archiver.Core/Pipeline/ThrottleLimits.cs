namespace Archiver.Core.Pipeline;

/// <summary>The bounds a <see cref="Throttle"/> moves within.</summary>
/// <param name="RatePerSecond">The configured ceiling, never exceeded, and the starting rate while nothing was learned.</param>
/// <param name="Burst">Calls Dropbox tolerates at once. The throttle saves up half of it at most (rounded up), so after a
/// quiet spell up to that many go out at once and the rest stays with Dropbox as slack for jitter; the rate controller
/// counts it in when it estimates the limit from a 429.</param>
/// <param name="FloorPerSecond">The rate never drops below this, however many 429s arrive.</param>
public sealed record ThrottleLimits(double RatePerSecond, int Burst, double FloorPerSecond)
{
    /// <summary>
    /// Limits for a ceiling and burst with the default floor: 5 % of the ceiling, not below
    /// <see cref="TuningBounds.MinRatePerSecond"/>, never above the ceiling (a 429 must not speed a slow customer up).
    /// </summary>
    public static ThrottleLimits For(double ratePerSecond, int burst) =>
        new(ratePerSecond, burst, Math.Min(ratePerSecond, Math.Max(TuningBounds.MinRatePerSecond, ratePerSecond * 0.05)));
}
