using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What the store as a whole must do, beyond each port's contract: its schema, and every port used at once by several
/// customers' pipelines. A class per database runs it, with what only that database can show.
/// </summary>
public abstract class ArchiveStoreContractTests(TestStores stores) : StoreContractTests(stores)
{
    [Fact]
    public async Task Migrate_Twice_IsHarmless()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 3);

        await store.MigrateAsync(Ct);

        Assert.NotNull(await store.GetCustomerAsync(Acme, Ct));
        Assert.Equal(3, (await ItemsAsync(store, Acme)).Count);
    }

    [Fact]
    public async Task ConcurrentPipelines_ArchiveEverythingWithoutErrors()
    {
        var customers = Enumerable.Range(0, 6).Select(i => new CustomerId($"customer-{i}")).ToArray();
        var store = await NewStoreAsync(customers);

        await Task.WhenAll(customers.Select(customer => Task.Run(() => RunPipelineAsync(store, customer, items: 300))));

        var progress = await store.GetProgressAsync(null, Ct);
        Assert.All(progress, p => Assert.Equal(new CustomerProgress(p.Customer, 0, 0, 300, 0), p));
    }

    /// <summary>Enqueues in batches while claiming and checkpointing, as a feed and a pipeline would.</summary>
    private static async Task RunPipelineAsync(IArchiveStore store, CustomerId customer, int items)
    {
        var lease = await LeaseAsync(store, customer);
        long afterId = 0;
        var archived = 0;
        var enqueued = 0;
        for (var round = 0; archived < items; round++)
        {
            Assert.True(round < 1000, $"{customer}'s pipeline stopped making progress.");
            if (enqueued < items)
            {
                await EnqueueAsync(store, customer, 50, $"batch{enqueued}");
                enqueued += 50;
            }

            var claimed = await store.ClaimAsync(lease, afterId, 20, Ct);
            await store.GetProgressAsync(customer, Ct);
            if (claimed.Count == 0)
            {
                continue;
            }

            afterId = claimed[^1].Id;
            var result = await store.CheckpointAsync(
                lease,
                claimed.Select(i => (ItemOutcome)new ItemOutcome.Archived(i.Id, ArchivedFile(i.Id))).ToList(),
                Ct);
            archived += result.Applied;
        }
    }
}
