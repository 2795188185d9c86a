using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Testing;

namespace Archiver.Storage.Tests;

/// <summary>
/// What the store's contract suites share: a fresh store per test from <paramref name="stores"/>, on a manual clock,
/// and the helpers that fill it. Each port's contract (<see cref="ItemQueueContractTests"/>,
/// <see cref="CustomerStoreContractTests"/>, <see cref="EventJournalContractTests"/>, <see cref="LeaseStoreContractTests"/>,
/// <see cref="NodeRegistryContractTests"/>) and the whole store's (<see cref="ArchiveStoreContractTests"/>) derive from
/// this class, and a class per database runs each: <see cref="SqliteTestStores"/>, <see cref="PostgresTestStores"/>.
/// </summary>
public abstract class StoreContractTests(TestStores stores) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly CustomerId Acme = new("acme");
    protected static readonly CustomerId Globex = new("globex");
    protected static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    protected ManualTimeProvider Time { get; } = new(Start);

    protected WorkSignal Signal { get; } = new();

    protected static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync() => stores.InitializeAsync();

    public Task DisposeAsync() => stores.DisposeAsync();

    /// <summary>A fresh, migrated store holding the given customers.</summary>
    protected async Task<IArchiveStore> NewStoreAsync(params CustomerId[] customers)
    {
        var store = await stores.CreateAsync(Time, Signal);
        await store.MigrateAsync(Ct);
        foreach (var customer in customers)
        {
            await store.AddCustomerAsync(NewCustomer(customer), Ct);
        }

        return store;
    }

    protected static NewCustomer NewCustomer(CustomerId id) =>
        new(id, $"{id} Ltd", new DropboxCredentials(new Secret($"access-{id}"), new Secret($"refresh-{id}")));

    protected static NewItem NewItem(CustomerId customer, string externalId, ItemKind kind = ItemKind.CallRecording) =>
        new(
            customer,
            externalId,
            kind,
            new Uri($"https://recordings.example.com/{customer}/{externalId}.wav"),
            new ItemMetadata(Start.AddHours(-1), "+15551230001", "+15551230002"),
            Size: 4096);

    /// <summary>Enqueues <paramref name="count"/> items named <c>rec-0</c>, <c>rec-1</c>, … and returns their ids.</summary>
    protected static async Task<long[]> EnqueueAsync(IArchiveStore store, CustomerId customer, int count, string prefix = "rec")
    {
        var items = Enumerable.Range(0, count).Select(i => NewItem(customer, $"{prefix}-{i}")).ToList();
        var results = await store.EnqueueAsync(items, Ct);
        return results.Select(r => r.ItemId).ToArray();
    }

    protected static async Task<Lease> LeaseAsync(IArchiveStore store, CustomerId customer, string node = "node-a") =>
        await store.AcquireLeaseAsync(customer, node, LeaseDuration, Ct)
        ?? throw new InvalidOperationException($"{node} could not take {customer}'s lease.");

    protected static async Task<IReadOnlyList<StoredItem>> ItemsAsync(IArchiveStore store, CustomerId customer, ItemStatus? status = null) =>
        await store.ListItemsAsync(new ItemQuery(customer, status, Limit: 10_000), Ct);

    protected static async Task<StoredItem> ItemAsync(IArchiveStore store, CustomerId customer, long id) =>
        (await ItemsAsync(store, customer)).Single(i => i.Item.Id == id);

    protected static ArchivedFile ArchivedFile(long id) =>
        new($"id:dbx{id}", $"rev{id}", $"/Archive/calls/{id}.wav", $"hash{id}", 4096);

    protected static async Task<IReadOnlyList<ArchiveEvent>> EventsAsync(IArchiveStore store, string type, CustomerId? customer = null) =>
        await store.ReadEventsAsync(new EventQuery(Limit: 1000, Customer: customer, Type: type), Ct);
}
