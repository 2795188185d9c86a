using System.Security.Cryptography;
using Archiver.Customers;
using Archiver.Security;
using Archiver.Storage;
using Archiver.Storage.Sqlite;
using Archiver.Supervision;
using Archiver.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Supervision;

public sealed class LeaseKeeperTests : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private static readonly CustomerId Acme = new("acme");
    private readonly ManualTimeProvider _time = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("archiver-leases-").FullName;
    private SqliteArchiveStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "archiver.db") },
            new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)),
            new WorkSignal(),
            _time);
        await _store.MigrateAsync(CancellationToken.None);
        await _store.AddCustomerAsync(new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("t"))), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AHeldLease_IsRenewed_SoAnotherNodeCannotTakeIt()
    {
        var keeper = new LeaseKeeper(_store, Duration, NullLogger.Instance);
        var lease = (await _store.AcquireLeaseAsync(Acme, "node-a", Duration, liveNodes: null, CancellationToken.None))!;
        using var hold = keeper.Hold(lease, () => Assert.Fail("the lease is not lost"));

        _time.Advance(Duration * 0.9);
        await keeper.RenewAllAsync(CancellationToken.None);
        _time.Advance(Duration * 0.9);

        Assert.Null(await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None));
    }

    [Fact]
    public async Task ALeaseTakenOver_IsReportedLostOnce_AndNoLongerKept()
    {
        var keeper = new LeaseKeeper(_store, Duration, NullLogger.Instance);
        var lease = (await _store.AcquireLeaseAsync(Acme, "node-a", Duration, liveNodes: null, CancellationToken.None))!;
        var lost = 0;
        using var hold = keeper.Hold(lease, () => lost++);
        _time.Advance(Duration + TimeSpan.FromSeconds(1)); // node-a stalled past its lease
        Assert.NotNull(await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None));

        await keeper.RenewAllAsync(CancellationToken.None);
        await keeper.RenewAllAsync(CancellationToken.None);

        Assert.Equal(1, lost);
        Assert.Equal(0, keeper.Count);
    }

    [Fact]
    public async Task AReleasedHold_IsNotRenewed()
    {
        var keeper = new LeaseKeeper(_store, Duration, NullLogger.Instance);
        var lease = (await _store.AcquireLeaseAsync(Acme, "node-a", Duration, liveNodes: null, CancellationToken.None))!;
        keeper.Hold(lease, () => Assert.Fail("a released hold is never reported")).Dispose();

        _time.Advance(Duration * 0.9);
        await keeper.RenewAllAsync(CancellationToken.None);
        _time.Advance(Duration * 0.2);

        Assert.NotNull(await _store.AcquireLeaseAsync(Acme, "node-b", Duration, liveNodes: null, CancellationToken.None));
    }
}
