using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Hosting;
using Archiver.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Archiver.EndToEnd.Tests;

/// <summary>The real node, SQLite store, Dropbox client and emulator, with files on disk as content.</summary>
public sealed class IsolationTests : EmulatorTest
{
    private const int ItemsPerCustomer = 60;

    [Fact]
    public async Task FiveCustomers_OneAlwaysRateLimited_TheOtherFourArchiveEverythingExactlyOnce()
    {
        string[] healthy = ["alpha", "bravo", "charlie", "delta"];
        const string blocked = "echo";
        foreach (var name in healthy)
        {
            Emulator.AddAccount(name, $"token-{name}", new AccountLimits(RatePerSecond: 200, Burst: 20));
        }

        Emulator.AddAccount(blocked, $"token-{blocked}", new AccountLimits(RejectAllWrites: true, RetryAfter: TimeSpan.FromSeconds(2)));

        using var host = NodeHost.Build(Configuration(), minimumLevel: LogLevel.Warning);
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        foreach (var name in healthy.Append(blocked))
        {
            await AddCustomerWithItemsAsync(store, name, ItemsPerCustomer);
        }

        await host.StartAsync();
        await Eventually.TrueAsync(
            async () => (await store.GetProgressAsync(null, CancellationToken.None)).Where(p => p.Customer.Value != blocked).All(p => p.Archived == ItemsPerCustomer),
            "the four healthy customers have archived everything",
            TimeSpan.FromSeconds(60));

        // The blocked customer is still waiting on Retry-After: nothing failed, nothing archived, nothing lost.
        var waiting = (await store.GetProgressAsync(new CustomerId(blocked), CancellationToken.None)).Single();
        Assert.Equal(0, waiting.Archived);
        Assert.Equal(0, waiting.Failed);
        Assert.Equal(ItemsPerCustomer, waiting.Pending + waiting.InFlight);
        Assert.True(Emulator.Stats(blocked).RateLimited > 0);
        await host.StopAsync();

        foreach (var name in healthy)
        {
            var files = Emulator.Files(name);
            Assert.Equal(ItemsPerCustomer, files.Count);
            var archived = await store.ListItemsAsync(new ItemQuery(new CustomerId(name), ItemStatus.Archived, Limit: 1000), CancellationToken.None);
            Assert.Equal(
                archived.Select(i => (i.Archived!.Path.ToLowerInvariant(), i.Archived.ContentHash)).Order(),
                files.Select(f => (f.PathDisplay.ToLowerInvariant(), f.ContentHash)).Order());
        }

        Assert.Empty(Emulator.Files(blocked));
        var afterStop = (await store.GetProgressAsync(new CustomerId(blocked), CancellationToken.None)).Single();
        Assert.Equal(ItemsPerCustomer, afterStop.Pending); // in-flight claims were handed back on shutdown
    }

    private IConfiguration Configuration() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["archiver:storage:sqlitepath"] = Path.Combine(Work, "archiver.db"),
            ["archiver:security:tokenkeyfile"] = Path.Combine(Work, "token.key"),
            ["archiver:content:roots:0"] = Path.Combine(Work, "content"),
            ["archiver:dropbox:apibaseuri"] = Emulator.BaseUri.ToString(),
            ["archiver:dropbox:contentbaseuri"] = Emulator.BaseUri.ToString(),
            ["archiver:node:refreshinterval"] = "00:00:00.100",
            ["archiver:pipeline:ratepersecond"] = "100",
            ["archiver:pipeline:parallelism"] = "4",
        })
        .Build();
}
