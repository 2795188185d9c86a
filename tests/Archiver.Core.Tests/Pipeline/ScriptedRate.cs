using Archiver.Core.Pipeline;

namespace Archiver.Core.Tests.Pipeline;

/// <summary>A rate controller that goes at one rate until the first pushback and at another from then on.</summary>
internal sealed class ScriptedRate(double rate, double afterPushback) : IRateController
{
    public List<DateTimeOffset> Pushbacks { get; } = [];

    public double? LearnedLimit => Pushbacks.Count == 0 ? null : afterPushback;

    public double RateAt(DateTimeOffset now) => Pushbacks.Count == 0 ? rate : afterPushback;

    public void Accepted(DateTimeOffset now)
    {
    }

    public void RateLimited(DateTimeOffset now, DateTimeOffset resumeAt) => Pushbacks.Add(resumeAt);

    public void Apply(ThrottleLimits limits, DateTimeOffset now)
    {
    }

    public void ResumeAt(double learnedLimit, DateTimeOffset now)
    {
    }
}
