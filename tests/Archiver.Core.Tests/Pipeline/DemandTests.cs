using Archiver.Pipeline;

namespace Archiver.Core.Tests.Pipeline;

public sealed class DemandTests
{
    [Fact]
    public async Task Take_WaitsUntilAtLeastTheLowWaterMarkIsFree_ThenTakesEverythingFree()
    {
        var demand = new Demand(8);
        Assert.Equal(8, await demand.TakeAsync(max: 100, atLeast: 4, CancellationToken.None));

        var next = demand.TakeAsync(max: 100, atLeast: 4, CancellationToken.None);
        demand.Return(3);
        await Task.Delay(50);
        Assert.False(next.IsCompleted); // three free: fewer than four

        demand.Return(2);
        Assert.Equal(5, await next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, demand.Available);
    }

    [Fact]
    public async Task Take_NeverTakesMoreThanMax()
    {
        var demand = new Demand(8);

        Assert.Equal(3, await demand.TakeAsync(max: 3, atLeast: 6, CancellationToken.None)); // the mark is capped by max
        Assert.Equal(5, demand.Available);
    }

    [Fact]
    public async Task Take_Cancelled_GivesBackWhatItHeld()
    {
        var demand = new Demand(4);
        Assert.Equal(4, await demand.TakeAsync(max: 4, atLeast: 1, CancellationToken.None));
        using var cancel = new CancellationTokenSource();
        var waiting = demand.TakeAsync(max: 4, atLeast: 3, cancel.Token);
        demand.Return(2); // taken by the waiter while it waits for a third

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(2, demand.Available);
    }
}
