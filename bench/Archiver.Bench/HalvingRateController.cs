using Archiver.Core.Pipeline;

namespace Archiver.Bench;

/// <summary>
/// The rate controller the service had before it learned limits, kept here as the baseline the <c>discovery</c>
/// scenario measures against in the same run: the rate halves on the first 429 of each pause window (down to the floor)
/// and climbs back by 5 % of the ceiling per second while Dropbox accepts, never above the ceiling.
/// </summary>
public sealed class HalvingRateController(ThrottleLimits limits) : IRateController
{
    private ThrottleLimits _limits = limits;
    private double _rate = limits.RatePerSecond;
    private DateTimeOffset _lastIncreaseAt;

    public double? LearnedLimit => _rate < _limits.RatePerSecond ? _rate : null;

    public double RateAt(DateTimeOffset now) => _rate;

    public void Accepted(DateTimeOffset now)
    {
        if (_rate >= _limits.RatePerSecond || _lastIncreaseAt == default)
        {
            _lastIncreaseAt = now;
            return;
        }

        var elapsed = (now - _lastIncreaseAt).TotalSeconds;
        if (elapsed <= 0)
        {
            return; // still inside the window of the last 429
        }

        _rate = Math.Min(_limits.RatePerSecond, _rate + (Recovery(_limits) * Math.Min(elapsed, 1)));
        _lastIncreaseAt = now;
    }

    public void RateLimited(DateTimeOffset now, DateTimeOffset resumeAt)
    {
        _rate = Math.Max(_limits.FloorPerSecond, _rate / 2);
        _lastIncreaseAt = resumeAt;
    }

    public void Apply(ThrottleLimits limits, DateTimeOffset now)
    {
        var atCeiling = _rate >= _limits.RatePerSecond;
        _limits = limits;
        _rate = atCeiling ? limits.RatePerSecond : Math.Clamp(_rate, limits.FloorPerSecond, limits.RatePerSecond);
    }

    public void ResumeAt(double learnedLimit, DateTimeOffset now)
    {
        _rate = Math.Clamp(learnedLimit, _limits.FloorPerSecond, _limits.RatePerSecond);
        _lastIncreaseAt = now;
    }

    private static double Recovery(ThrottleLimits limits) => Math.Max(TuningBounds.MinRatePerSecond, limits.RatePerSecond * 0.05);
}
