namespace Archiver.Core.Pipeline;

/// <summary>
/// Decides the rate a customer's <see cref="Throttle"/> lets calls go at, from what Dropbox answers. The throttle owns
/// the token bucket and the Retry-After pause and calls this under its lock, so an implementation needs no locking of
/// its own. <see cref="RateController"/> is the one the service uses.
/// </summary>
public interface IRateController
{
    /// <summary>The estimate of the customer's real limit at Dropbox; null while Dropbox has never pushed back.</summary>
    double? LearnedLimit { get; }

    /// <summary>The rate in force at <paramref name="now"/>, between the floor and the configured ceiling.</summary>
    double RateAt(DateTimeOffset now);

    /// <summary>Dropbox accepted a call at <paramref name="now"/>.</summary>
    void Accepted(DateTimeOffset now);

    /// <summary>Dropbox answered 429 at <paramref name="now"/>, beginning a pause until <paramref name="resumeAt"/> (once per pause window).</summary>
    void RateLimited(DateTimeOffset now, DateTimeOffset resumeAt);

    /// <summary>New limits (a configuration reload) from <paramref name="now"/> on; what was learned stays, within them.</summary>
    void Apply(ThrottleLimits limits, DateTimeOffset now);

    /// <summary>Starts from a limit learned earlier (a restart, a failover) rather than from the ceiling.</summary>
    void ResumeAt(double learnedLimit, DateTimeOffset now);
}
