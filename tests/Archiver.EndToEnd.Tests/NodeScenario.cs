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

/// <summary>
/// A node over a SQLite database in a test's working directory, against the test's emulator, with small files on disk
/// as content; and the checks every scenario ends with.
/// </summary>
internal sealed class NodeScenario(string work, DropboxEmulator emulator)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    /// <summary>A node with fast polling and retries; <paramref name="settings"/> override or add keys.</summary>
    public IHost Build(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["archiver:storage:sqlitepath"] = Path.Combine(work, "archiver.db"),
            ["archiver:security:tokenkeyfile"] = Path.Combine(work, "token.key"),
            ["archiver:content:roots:0"] = Path.Combine(work, "content"),
            ["archiver:dropbox:apibaseuri"] = emulator.BaseUri.ToString(),
            ["archiver:dropbox:contentbaseuri"] = emulator.BaseUri.ToString(),
            ["archiver:dropbox:requesttimeout"] = "00:00:10",
            ["archiver:node:refreshinterval"] = "00:00:00.100",
            ["archiver:pipeline:ratepersecond"] = "200",
            ["archiver:pipeline:burst"] = "20",
            ["archiver:pipeline:parallelism"] = "8",
            ["archiver:pipeline:retrybasedelay"] = "00:00:00.100",
            ["archiver:pipeline:retrymaxdelay"] = "00:00:01",
            ["archiver:dropbox:batchcommits"] = "always", // these scenarios are about batch commits; "auto" is tested on its own
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return NodeHost.Build(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), configure, LogLevel.Error);
    }

    /// <summary>Adds the customer and enqueues <paramref name="count"/> small text items for it.</summary>
    public async Task AddCustomerAsync(
        IArchiveStore store, string name, DropboxCredentials credentials, int count, CustomerTuning? tuning = null)
    {
        var id = new CustomerId(name);
        await store.AddCustomerAsync(new NewCustomer(id, name, credentials, tuning), CancellationToken.None);
        var content = Directory.CreateDirectory(Path.Combine(work, "content", name)).FullName;
        var items = new List<NewItem>(count);
        for (var i = 0; i < count; i++)
        {
            var file = Path.Combine(content, $"{i}.txt");
            await File.WriteAllTextAsync(file, $"SMS {i} of {name}");
            items.Add(new NewItem(id, $"sms-{i}", ItemKind.Sms, new Uri(file), new ItemMetadata(DateTimeOffset.UnixEpoch.AddMinutes(i), "+1", "+2")));
        }

        await store.EnqueueAsync(items, CancellationToken.None);
    }

    public static async Task<CustomerProgress> ProgressAsync(IArchiveStore store, string name) =>
        (await store.GetProgressAsync(new CustomerId(name), CancellationToken.None)).Single();

    public static Task UntilArchivedAsync(IArchiveStore store, string name, int count, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(
            async () => (await ProgressAsync(store, name)).Archived == count,
            $"{name} has archived all {count} items",
            timeout ?? Deadline);

    /// <summary>
    /// Every item archived, none failed, and the emulator holds exactly one file per item, each written once (one
    /// revision), with the path and content hash the database recorded.
    /// </summary>
    public async Task AssertArchivedExactlyOnceAsync(IArchiveStore store, string name, int count)
    {
        var progress = await ProgressAsync(store, name);
        Assert.Equal(0, progress.Failed);
        Assert.Equal(count, progress.Archived);
        var files = emulator.Files(name);
        Assert.Equal(count, files.Count);
        Assert.Equal(count, files.Select(f => f.Rev).Distinct().Count());
        Assert.Equal(count, emulator.Stats(name).Writes);
        var archived = await store.ListItemsAsync(new ItemQuery(new CustomerId(name), ItemStatus.Archived, Limit: count + 1), CancellationToken.None);
        Assert.Equal(
            archived.Select(i => (i.Archived!.Path.ToLowerInvariant(), i.Archived.ContentHash)).Order(),
            files.Select(f => (f.PathDisplay.ToLowerInvariant(), f.ContentHash)).Order());
    }
}
