namespace Archiver.Pipeline;

/// <summary>
/// Finds the rate Dropbox really allows a customer and stays just below it, never above the configured ceiling.
/// Dropbox publishes no limit and answers a call over it with 429 and a Retry-After of at least a second, during which
/// the customer sends nothing: every pushback costs a second of throughput. So the aim is few pushbacks, each one
/// telling as much as it can, and most of the time spent just under the limit:
/// <list type="bullet">
/// <item><b>Until the first 429</b> calls go at the ceiling: the configured rate may well be right.</item>
/// <item><b>Each 429 yields an estimate of the limit.</b> One that comes within a second of resuming means Dropbox's
/// bucket, full after the pause, emptied quickly: the rate was over the limit by about the burst divided by that time.
/// Otherwise the estimate is the rate Dropbox accepted over the last ten seconds, less half the burst (the slack its
/// bucket gave before refusing), and never more than the rate sent.</item>
/// <item><b>After the pause</b> calls resume at 0.9 of the estimate, are back at 0.98 of it within a second, and stay
/// there. A 429 while holding there means the estimate was too high: it drops by at least 3 %.</item>
/// <item><b>The limit may have risen</b>: after holding for 30 s the rate probes above along a cubic, flat near the
/// estimate and steeper away from it (twice the estimate after about 8 s), like TCP CUBIC's growth around its last
/// congestion point; the next 429 ends the probe with a new estimate.</item>
/// <item><b>A limit that dropped is remembered</b>: when an estimate falls below 0.85 of a rate Dropbox had accepted for
/// 5 s or more until a pushback less than 10 s before, that earlier limit is remembered for two minutes, and probed for every few seconds (hold 3 s, then
/// climb to it within 3 s), so a limit that comes back is used again within seconds.</item>
/// </list>
/// The measurement behind these numbers (and those of the old halving controller) is the benchmark's
/// <c>discovery</c> scenario.
/// </summary>
public sealed class RateController : IRateController
{
    private const double Cut = 0.9;
    private const double Hold = 0.98;
    private const double HoldTooHigh = 0.97;
    private const double Dropped = 0.85;
    private const double Regained = 0.95;
    private static readonly TimeSpan Return = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HoldBeforeProbing = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeScale = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan QuickPushback = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HeldLongEnough = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecentlyProven = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RememberDropFor = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan HoldBelowDrop = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ClimbToDrop = TimeSpan.FromSeconds(3);

    private readonly CallMeter _accepted = new();
    private ThrottleLimits _limits;
    private double? _limit;
    private DateTimeOffset _curveStart;    // when the current estimate's curve began: the end of its pause
    private DateTimeOffset? _resumedAt;    // when calls last (re)started: the end of the last pause, or the first call
    private double? _higher;               // a limit from before a drop, probed for while remembered
    private DateTimeOffset _higherUntil;
    private (double Level, DateTimeOffset At)? _proven; // the last rate held for a while before a pushback

    public RateController(ThrottleLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    public double? LearnedLimit => _limit;

    public double RateAt(DateTimeOffset now) =>
        Math.Clamp(_limit is { } limit ? Curve(limit, now) : _limits.RatePerSecond, _limits.FloorPerSecond, _limits.RatePerSecond);

    public void Accepted(DateTimeOffset now)
    {
        _resumedAt ??= now;
        _accepted.Add(now);
    }

    public void RateLimited(DateTimeOffset now, DateTimeOffset resumeAt)
    {
        var rate = RateAt(now);
        var resumed = _resumedAt ?? now;
        var sinceResumed = now - resumed;
        var estimate = sinceResumed < QuickPushback
            ? Math.Clamp(rate - (_limits.Burst / Math.Max(sinceResumed.TotalSeconds, 0.05)), 0.3 * rate, Cut * rate)
            : Math.Min(rate, Measured(resumed, now));

        if (_limit is { } previous)
        {
            var sinceCurve = now - _curveStart;
            if (sinceCurve < Return + HoldTime(now))
            {
                estimate = Math.Min(estimate, HoldTooHigh * previous); // refused while holding below the estimate: it was too high
            }

            if (sinceCurve >= Return + HeldLongEnough)
            {
                _proven = (Hold * previous, now); // Dropbox accepted this rate for a while before refusing more
            }
        }

        if (_proven is var (level, at) && now - at < RecentlyProven && estimate < Dropped * level)
        {
            _higher = Math.Max(_higher ?? 0, level / Hold); // well below a rate accepted moments ago: the limit dropped
            _higherUntil = now + RememberDropFor;
        }

        if (_higher is { } higher && estimate >= Regained * higher)
        {
            _higher = null;
        }

        _limit = Math.Clamp(estimate, _limits.FloorPerSecond, _limits.RatePerSecond);
        _curveStart = resumeAt;
        _resumedAt = resumeAt;
    }

    public void Apply(ThrottleLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    public void ResumeAt(double learnedLimit, DateTimeOffset now)
    {
        _limit = Math.Clamp(learnedLimit, _limits.FloorPerSecond, _limits.RatePerSecond);
        _curveStart = now - Return; // straight to holding just below it
        _resumedAt = now;
    }

    /// <summary>The rate <paramref name="now"/> along the curve that started at the last pushback's end.</summary>
    private double Curve(double limit, DateTimeOffset now)
    {
        var since = now - _curveStart;
        if (since < Return)
        {
            var back = Math.Max(0, since / Return);
            return limit * (Cut + ((Hold - Cut) * back));
        }

        var probing = (since - Return - HoldTime(now)).TotalSeconds;
        if (probing <= 0)
        {
            return Hold * limit;
        }

        if (Higher(now) is { } higher)
        {
            var climbed = Math.Min(1, Math.Pow(probing / ClimbToDrop.TotalSeconds, 3));
            return (Hold * limit) + ((higher - (Hold * limit)) * climbed);
        }

        return limit * (Hold + Math.Pow(probing / ProbeScale.TotalSeconds, 3));
    }

    private TimeSpan HoldTime(DateTimeOffset now) => Higher(now) is null ? HoldBeforeProbing : HoldBelowDrop;

    private double? Higher(DateTimeOffset now) => _higher is { } higher && now < _higherUntil ? higher : null;

    /// <summary>The rate Dropbox accepted since <paramref name="resumed"/> (ten seconds at most), less the slack of half a burst its bucket gave.</summary>
    private double Measured(DateTimeOffset resumed, DateTimeOffset now)
    {
        var from = resumed > now - CallMeter.Span ? resumed : now - CallMeter.Span;
        var seconds = Math.Max((now - from).TotalSeconds, 0.1);
        return Math.Max(0, _accepted.CountSince(from, now) - (_limits.Burst / 2.0)) / seconds;
    }
}
