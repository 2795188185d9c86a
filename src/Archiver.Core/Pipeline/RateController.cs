namespace Archiver.Core.Pipeline;

/// <summary>
/// Finds the rate Dropbox really allows a customer and stays just below it, never above the configured ceiling.
/// Dropbox publishes no limit and answers a call over it with 429 and a Retry-After of at least a second, during which
/// the customer sends nothing: every pushback costs a second of throughput. So the aim is few pushbacks, each one
/// telling as much as it can, and most of the time spent just under the limit:
/// <list type="bullet">
/// <item><b>Until the first 429</b> calls go at the ceiling: the configured rate may well be right.</item>
/// <item><b>Each 429 yields an estimate of the limit</b>, from what Dropbox accepted since calls last resumed (ten
/// seconds at most). Its token bucket was empty when it refused, so over any stretch before that it let through at most
/// its rate times the stretch plus one burst: the highest rate of accepted calls, less one burst, over the stretches
/// ending now is a bound the limit cannot be below, and close to it (never above the rate sent, never below
/// <see cref="DeepestCut"/> of it). With nothing accepted beyond a burst, the rate is cut to <see cref="NoEvidence"/> of
/// itself.</item>
/// <item><b>After the pause</b> calls resume at <see cref="Cut"/> of the estimate, are at <see cref="Hold"/> of it
/// within a second, and stay there (<see cref="HoldBeforeProbing"/>; only <see cref="HoldWhileUnsure"/> when the
/// estimate rests on less than two seconds of calls). A 429 while holding means the estimate was too high (a burst
/// smaller than configured): it drops by at least 3 %.</item>
/// <item><b>The limit may have risen</b>: after the hold the rate probes above along a cubic, flat near the estimate and
/// steeper away from it (twice the estimate after <see cref="ProbeScale"/>), like TCP CUBIC's growth around its last
/// congestion point; the 429 that ends the probe brings a new estimate.</item>
/// <item><b>A limit that dropped is remembered</b>: when an estimate falls below 0.85 of a rate Dropbox had accepted for
/// 5 s or more until a pushback less than 10 s before, that earlier limit is remembered for two minutes and probed for
/// every few seconds (hold 3 s, climb back to it within 3 s), so a limit that comes back is used again within seconds;
/// held there 2 s without a 429, it is the estimate again.</item>
/// </list>
/// The measurements behind these numbers, against the old controller that halved the rate on every 429, are the
/// benchmark's <c>discovery</c> scenario.
/// </summary>
public sealed class RateController : IRateController
{
    /// <summary>Right after a pushback's pause, calls resume at this share of the estimate.</summary>
    public const double Cut = 0.95;

    /// <summary>Within a second they are at this share of it, and stay there until the probe.</summary>
    public const double Hold = 0.99;

    /// <summary>With no accepted calls beyond a burst to estimate from, a 429 cuts the rate to this share of itself.</summary>
    public const double NoEvidence = 0.7;

    /// <summary>
    /// However little Dropbox accepted, one 429 never cuts the rate below this share of itself: the estimate counts on the
    /// configured burst, and a burst configured larger than Dropbox's would otherwise make it far too low.
    /// </summary>
    public const double DeepestCut = 0.3;

    /// <summary>How long an estimate resting on two seconds of calls or more is held before probing above it.</summary>
    public static readonly TimeSpan HoldBeforeProbing = TimeSpan.FromSeconds(60);

    /// <summary>How long an estimate resting on less is held: it is likely low.</summary>
    public static readonly TimeSpan HoldWhileUnsure = TimeSpan.FromSeconds(10);

    /// <summary>The probe's cubic reaches twice the estimate this long after it starts.</summary>
    public static readonly TimeSpan ProbeScale = TimeSpan.FromSeconds(8);

    private const double HoldTooHigh = 0.97;
    private const double Dropped = 0.85;
    private const double Regained = 0.95;
    private static readonly TimeSpan Return = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongEnoughToTrust = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ShortestStretch = TimeSpan.FromSeconds(0.2);
    private static readonly TimeSpan HeldLongEnough = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecentlyProven = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RememberDropFor = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan HoldBelowDrop = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ClimbToDrop = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Regain = TimeSpan.FromSeconds(2);

    private readonly CallMeter _accepted = new();
    private ThrottleLimits _limits;
    private double? _limit;
    private TimeSpan _holdFor = HoldBeforeProbing; // how long the estimate is held before probing above it
    private DateTimeOffset _curveStart;    // when the current estimate's curve began: the end of its pause
    private DateTimeOffset? _resumedAt;    // when calls last (re)started: the end of the last pause, or the first call
    private double? _higher;               // a limit from before a drop, probed for while remembered
    private DateTimeOffset _higherUntil;
    private (double Limit, DateTimeOffset At)? _proven; // the last limit held just below for a while before a pushback

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
        if (Higher(now) is { } higher && now - _curveStart >= Return + HoldBelowDrop + ClimbToDrop + Regain)
        {
            // Back at the remembered limit, and Dropbox accepts it: the limit came back. It is the estimate again.
            _limit = higher;
            _higher = null;
            _holdFor = HoldBeforeProbing;
            _curveStart = now - Return;
        }
    }

    public void RateLimited(DateTimeOffset now, DateTimeOffset resumeAt)
    {
        var rate = RateAt(now);
        var resumed = _resumedAt ?? now;
        // Dropbox refused because fewer than one token was left: it let through between burst-1 and burst more than its
        // rate over the stretch. Half a call in between.
        var evidence = _accepted.HighestRateSince(resumed, now, slack: _limits.Burst - 0.5, ShortestStretch);
        var estimate = Math.Clamp(evidence?.Rate ?? (NoEvidence * rate), DeepestCut * rate, rate);
        var holdFor = evidence?.Over >= LongEnoughToTrust ? HoldBeforeProbing : HoldWhileUnsure;

        if (_limit is { } previous)
        {
            var sinceCurve = now - _curveStart;
            if (sinceCurve < Return + HoldTime(now))
            {
                estimate = Math.Min(estimate, HoldTooHigh * previous); // refused while holding below the estimate: it was too high
            }

            if (sinceCurve >= Return + HeldLongEnough)
            {
                _proven = (previous, now); // Dropbox accepted the hold below it for a while before refusing more
            }
        }

        if (_proven is var (provenLimit, at) && now - at < RecentlyProven && estimate < Dropped * Hold * provenLimit)
        {
            _higher = Math.Max(_higher ?? 0, provenLimit); // well below a rate accepted moments ago: the limit dropped
            _higherUntil = now + RememberDropFor;
        }

        if (_higher is { } higher && estimate >= Regained * higher)
        {
            _higher = null;
        }

        _limit = Math.Clamp(estimate, _limits.FloorPerSecond, _limits.RatePerSecond);
        _holdFor = holdFor;
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
        _limit = Math.Max(learnedLimit, _limits.FloorPerSecond); // above the ceiling it stays what Dropbox allowed; the ceiling binds
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

    private TimeSpan HoldTime(DateTimeOffset now) => Higher(now) is null ? _holdFor : HoldBelowDrop;

    private double? Higher(DateTimeOffset now) => _higher is { } higher && now < _higherUntil ? higher : null;
}
