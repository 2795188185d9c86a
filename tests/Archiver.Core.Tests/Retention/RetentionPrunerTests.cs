using System.Security.Cryptography;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Retention;

public sealed class RetentionPrunerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CustomerId Acme = new("acme");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"archiver-pruner-{Guid.NewGuid():N}");
    private readonly ManualTimeProvider _time = new(Start);
    private SqliteArchiveStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "archiver.db") },
            new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)),
            new WorkSignal(),
            _time);
        await _store.MigrateAsync(CancellationToken.None);
        await _store.AddCustomerAsync(new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.acme")), CustomerTuning.Default), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ARun_WaitsThePauseBetweenFullBatches_AndNotAfterTheLastShortOne()
    {
        await StoreHistory.ArchiveAsync(_store, Acme, "old", archived: 25);
        _time.Advance(TimeSpan.FromDays(91));
        var pruner = new RetentionPruner(
            _store, new RetentionOptions { BatchSize = 10, PauseBetweenBatches = TimeSpan.FromSeconds(5) }, _time, NullLogger.Instance);

        var run = pruner.RunAsync(CancellationToken.None);

        await WaitForArchivedAsync(15); // the first batch, then the pause
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        await WaitForArchivedAsync(5); // the second batch, then the pause again
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var done = await run.WaitAsync(TimeSpan.FromSeconds(10)); // the short third batch ends the items at once
        Assert.Equal(25, done.Removed.ArchivedItems);
    }

    private async Task WaitForArchivedAsync(int left)
    {
        for (var waited = 0; waited < 200; waited++)
        {
            var archived = (await _store.GetProgressAsync(Acme, CancellationToken.None)).Sum(p => p.Archived);
            if (archived == left && _time.PendingTimers > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The pruner did not leave {left} archived items and wait.");
    }
}
