using CsCheck;

namespace Archiver.Core.Tests;

/// <summary>Exponential backoff with equal jitter: half the nominal wait fixed, half random, never past the cap.</summary>
public sealed class BackoffTests
{
    [Fact]
    public void After_TheNthFailure_WaitsAtLeastHalfAndLessThanAllOfTheBaseDoubledPerEarlierFailure() =>
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 10_000]).Sample((failures, baseMs) =>
        {
            var nominal = baseMs * Math.Pow(2, failures - 1);

            var wait = Backoff.After(failures, TimeSpan.FromMilliseconds(baseMs), TimeSpan.MaxValue).TotalMilliseconds;

            Assert.InRange(wait, nominal / 2, nominal);
        });

    [Fact]
    public void After_AnyNumberOfFailures_NeverWaitsLongerThanTheCapNorLessThanHalfOfIt() =>
        Gen.Select(Gen.Int[1, int.MaxValue], Gen.Int[1, 1_000], Gen.Int[1, 60_000]).Sample((failures, baseMs, maxMs) =>
        {
            var wait = Backoff.After(failures, TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromMilliseconds(maxMs)).TotalMilliseconds;

            Assert.InRange(wait, Math.Min(baseMs * Math.Pow(2, Math.Min(failures - 1, 30)), maxMs) / 2, maxMs);
        });

    [Fact]
    public void After_FailuresInARow_WaitsLongerEachTimeUntilTheCap()
    {
        var waits = Enumerable.Range(1, 8)
            .Select(n => Backoff.After(n, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)))
            .ToArray();

        Assert.All(waits.Zip(waits.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second} after {pair.First}"));
    }

    [Fact]
    public void After_CallersThatFailedTogether_SpreadOverTheRandomHalf()
    {
        var waits = Enumerable.Range(0, 1_000)
            .Select(_ => Backoff.After(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)).TotalSeconds)
            .ToArray();

        Assert.InRange(waits.Min(), 2, 2.2);
        Assert.InRange(waits.Max(), 3.8, 4);
        Assert.True(waits.Distinct().Count() > 900, "nearly every caller draws its own wait");
    }

    [Fact]
    public void After_NoFailure_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.After(0, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
}
