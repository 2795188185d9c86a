using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;

namespace Archiver.EndToEnd.Tests;

/// <summary>A test with its own Dropbox emulator on 127.0.0.1 and its own working directory, both gone afterwards.</summary>
public abstract class EmulatorTest : IAsyncLifetime
{
    protected string Work { get; } = Directory.CreateTempSubdirectory("archiver-e2e-").FullName;

    protected DropboxEmulator Emulator { get; private set; } = null!;

    /// <summary>How this test's emulator runs; override for e.g. short-lived access tokens.</summary>
    protected virtual EmulatorOptions EmulatorOptions => new();

    public async Task InitializeAsync() => Emulator = await DropboxEmulator.StartAsync(EmulatorOptions, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }

    /// <summary>Adds a customer whose token the emulator knows as <c>token-{name}</c>, with <paramref name="count"/> SMS files on disk.</summary>
    protected async Task AddCustomerWithItemsAsync(IArchiveStore store, string name, int count)
    {
        await store.AddCustomerAsync(new NewCustomer(new CustomerId(name), name, new DropboxCredentials(new Secret($"token-{name}"))), CancellationToken.None);
        await EnqueueItemsAsync(store, name, count);
    }

    /// <summary>Enqueues <paramref name="count"/> SMS files on disk for customer <paramref name="name"/> (<c>sms-0</c>, <c>sms-1</c>, …).</summary>
    protected async Task EnqueueItemsAsync(IArchiveStore store, string name, int count)
    {
        var content = Directory.CreateDirectory(Path.Combine(Work, "content", name)).FullName;
        var items = new List<NewItem>();
        for (var i = 0; i < count; i++)
        {
            var file = Path.Combine(content, $"{i}.txt");
            await File.WriteAllTextAsync(file, $"SMS {i} of {name}");
            items.Add(new NewItem(new CustomerId(name), $"sms-{i}", ItemKind.Sms, new Uri(file), new ItemMetadata(DateTimeOffset.UnixEpoch.AddHours(i), "+1", "+2")));
        }

        await store.EnqueueAsync(items, CancellationToken.None);
    }
}
