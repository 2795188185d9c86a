using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Core.Tests.Pipeline;

public sealed class WorkSignalTests
{
    private static readonly CustomerId Acme = new("acme");
    private static readonly CustomerId Globex = new("globex");

    [Fact]
    public async Task Notify_WakesAWaitingFeedAtOnce()
    {
        var signal = new WorkSignal();
        var waiting = signal.WaitAsync(Acme, TimeSpan.FromHours(1), TimeProvider.System, CancellationToken.None);

        signal.Notify(Acme);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Notify_BeforeTheWait_IsRemembered()
    {
        var signal = new WorkSignal();
        signal.Notify(Acme);

        Assert.True(await signal.WaitAsync(Acme, TimeSpan.FromHours(1), TimeProvider.System, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Notify_ForAnotherCustomer_DoesNotWakeThisOne()
    {
        var signal = new WorkSignal();
        signal.Notify(Globex);

        Assert.False(await signal.WaitAsync(Acme, TimeSpan.FromMilliseconds(50), TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task OnNotify_CallsTheWakeOnceAtTheNextNotify()
    {
        var signal = new WorkSignal();
        var woken = 0;
        signal.OnNotify(Acme, () => woken++);
        Assert.Equal(0, woken);

        signal.Notify(Acme);
        signal.Notify(Acme); // remembered for the next wait, not told to this one again

        Assert.Equal(1, woken);
        Assert.True(await signal.WaitAsync(Acme, TimeSpan.Zero, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public void OnNotify_WithANotifyPending_CallsTheWakeAtOnce()
    {
        var signal = new WorkSignal();
        signal.Notify(Acme);
        var woken = 0;

        signal.OnNotify(Acme, () => woken++);

        Assert.Equal(1, woken);
    }

    [Fact]
    public void ACancelledWake_IsNotCalled_AndTheNotifyWaitsForTheNextWaiter()
    {
        var signal = new WorkSignal();
        var woken = 0;
        Action wake = () => woken++;
        signal.OnNotify(Acme, wake);

        signal.CancelWake(Acme, wake);
        signal.Notify(Acme);

        Assert.Equal(0, woken);
        signal.OnNotify(Acme, wake);
        Assert.Equal(1, woken);
    }
}
