using Archiver.Customers;
using Archiver.Storage;

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
}
