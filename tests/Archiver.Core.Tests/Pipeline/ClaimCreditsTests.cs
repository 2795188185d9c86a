using Archiver.Core.Pipeline;

namespace Archiver.Core.Tests.Pipeline;

public sealed class ClaimCreditsTests
{
    [Fact]
    public void TryTake_TakesNothingUntilAtLeastTheLowWaterMarkIsFree_ThenEverythingFree()
    {
        var credits = new ClaimCredits(8);
        Assert.Equal(8, credits.TryTake(max: 100, atLeast: 4));

        credits.Return(3);
        Assert.Equal(0, credits.TryTake(max: 100, atLeast: 4)); // three free: fewer than four
        Assert.Equal(3, credits.Available);

        credits.Return(2);
        Assert.Equal(5, credits.TryTake(max: 100, atLeast: 4));
        Assert.Equal(0, credits.Available);
    }

    [Fact]
    public void TryTake_NeverTakesMoreThanMax()
    {
        var credits = new ClaimCredits(8);

        Assert.Equal(3, credits.TryTake(max: 3, atLeast: 6)); // the mark is capped by max
        Assert.Equal(5, credits.Available);
    }

    [Fact]
    public void Return_TellsWhoeverWaitsForCredits()
    {
        var credits = new ClaimCredits(4);
        Assert.Equal(4, credits.TryTake(max: 4, atLeast: 1));
        var told = 0;
        credits.OnReturned(() => told++);

        credits.Return(2);
        credits.OnReturned(null);
        credits.Return(1);

        Assert.Equal(1, told);
        Assert.Equal(3, credits.Available);
    }

    [Fact]
    public void Return_MoreThanWasTaken_IsRefused()
    {
        var credits = new ClaimCredits(4);
        Assert.Equal(2, credits.TryTake(max: 2, atLeast: 1));

        Assert.Throws<InvalidOperationException>(() => credits.Return(3));
    }
}
