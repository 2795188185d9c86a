using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Dropbox;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Models;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archiver.EndToEnd.Tests;

/// <summary>An item whose path already holds a different file in the customer's Dropbox.</summary>
public sealed class ConflictPolicyTests : EmulatorTest
{
    private const int Items = 10;
    private const string Occupied = "/sms/sms-3.txt";
    private static readonly byte[] Occupant = "someone else's file"u8.ToArray();
    private static readonly string OccupantHash = DropboxContentHasher.Compute(Occupant);

    [Fact]
    public async Task ConflictPolicyFail_TheConflictingItemFailsWithTheReason_TheRestAreArchived()
    {
        var (host, store) = await RunAsync(ConflictPolicy.Fail);
        using (host)
        {
            await Eventually.TrueAsync(
                async () => await NodeScenario.ProgressAsync(store, "acme") is { Archived: Items - 1, Failed: 1 },
                "nine items are archived and one failed",
                NodeScenario.Deadline);
            await host.StopAsync();
        }

        var failed = Assert.Single(await store.ListItemsAsync(new ItemQuery(new CustomerId("acme"), ItemStatus.Failed), CancellationToken.None));
        Assert.Equal("sms-3", failed.Item.ExternalId);
        Assert.Contains("different file already exists", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(OccupantHash, Assert.Single(Emulator.Files("acme"), f => f.PathDisplay == Occupied).ContentHash);
        Assert.Equal(Items, Emulator.Files("acme").Count);
    }

    [Fact]
    public async Task ConflictPolicyAutorename_TheConflictingItemIsArchivedUnderTheNameDropboxChose()
    {
        var (host, store) = await RunAsync(ConflictPolicy.Autorename);
        using (host)
        {
            await NodeScenario.UntilArchivedAsync(store, "acme", Items);
            await host.StopAsync();
        }

        var renamed = Assert.Single(
            await store.ListItemsAsync(new ItemQuery(new CustomerId("acme"), ItemStatus.Archived, Limit: 100), CancellationToken.None),
            i => i.Item.ExternalId == "sms-3");
        Assert.Equal("/sms/sms-3 (1).txt", renamed.Archived!.Path);
        var files = Emulator.Files("acme");
        Assert.Equal(Items + 1, files.Count);
        Assert.Equal(renamed.Archived.ContentHash, Assert.Single(files, f => f.PathDisplay == "/sms/sms-3 (1).txt").ContentHash);
        Assert.Equal(OccupantHash, Assert.Single(files, f => f.PathDisplay == Occupied).ContentHash);
    }

    private async Task<(IHost Host, IArchiveStore Store)> RunAsync(ConflictPolicy policy)
    {
        Emulator.AddAccount("acme", "token-acme", AccountLimits.Unlimited);
        using (var http = new HttpClient())
        {
            var client = new DropboxClient(http, new DropboxClientOptions { ApiBaseUri = Emulator.BaseUri, ContentBaseUri = Emulator.BaseUri });
            await client.UploadAsync("token-acme", new CommitInfo(Occupied), Occupant);
        }

        var scenario = new NodeScenario(Work, Emulator);
        var host = scenario.Build();
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(CancellationToken.None);
        await scenario.AddCustomerAsync(
            store, "acme", new DropboxCredentials(new Secret("token-acme")), Items, new CustomerTuning(PathTemplate: "/sms/{id}.{ext}", ConflictPolicy: policy));
        await host.StartAsync();
        return (host, store);
    }
}
