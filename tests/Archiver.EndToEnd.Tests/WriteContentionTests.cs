using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archiver.EndToEnd.Tests;

/// <summary>Batch commits meeting Dropbox's namespace write lock, in each shape Dropbox reports it.</summary>
public sealed class WriteContentionTests : EmulatorTest
{
    private const int Items = 120;
    private const int ContendedCommits = 3;

    [Theory]
    [InlineData(WriteContentionShape.RateLimit429)]
    [InlineData(WriteContentionShape.Conflict409)]
    [InlineData(WriteContentionShape.EntryFailure)]
    public async Task ContendedBatchCommits_ResendOnlyTheRefusedEntries_EveryItemArchivedOnce_NeverRateLimited(WriteContentionShape shape)
    {
        const string name = "acme";
        var account = Emulator.AddAccount(
            name, "token-acme", new AccountLimits(RatePerSecond: 500, Burst: 50) { WriteTime = TimeSpan.FromMilliseconds(5), Contention = shape });
        account.ContendNextWrites(ContendedCommits, shape);
        var scenario = new NodeScenario(Work, Emulator);
        using var host = scenario.Build();
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await scenario.AddCustomerAsync(store, name, new DropboxCredentials(new Secret("token-acme")), Items);

        await host.StartAsync();
        await NodeScenario.UntilArchivedAsync(store, name, Items);
        await host.StopAsync();

        await scenario.AssertArchivedExactlyOnceAsync(store, name, Items);
        var stats = account.Stats();
        Assert.True(stats.ContendedWrites >= ContendedCommits, $"only {stats.ContendedWrites} contended writes");

        // Refused whole batches never reached the files; refused entries were the only ones sent twice.
        var resentEntries = shape == WriteContentionShape.EntryFailure ? stats.ContendedWrites : 0;
        Assert.Equal(Items + resentEntries, stats.BatchEntries);
        Assert.Equal(0, stats.UnchangedUploads);

        // Contention is not rate limiting: the customer was never paused for it.
        var paused = await store.ReadEventsAsync(
            new EventQuery(Customer: new CustomerId(name), Type: EventTypes.RateLimited), CancellationToken.None);
        Assert.Empty(paused);
    }
}
