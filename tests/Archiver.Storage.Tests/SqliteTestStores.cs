using System.Security.Cryptography;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Sqlite;

namespace Archiver.Storage.Tests;

/// <summary>SQLite stores for one test: a file of its own each, under a temporary directory removed after the test.</summary>
public sealed class SqliteTestStores : TestStores
{
    private readonly List<SqliteArchiveStore> _stores = [];

    /// <summary>The test's temporary directory: every store's file is below it.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "archiver-storage-tests", Guid.NewGuid().ToString("N"));

    public AesGcmTokenProtector TokenProtector { get; } = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The file of the store most recently created.</summary>
    public string DatabasePath { get; private set; } = "";

    public override Task<IArchiveStore> CreateAsync(TimeProvider time, WorkSignal signal)
    {
        // A directory that does not exist yet: the store creates it.
        DatabasePath = Path.Combine(Root, $"store-{_stores.Count}", "archiver.db");
        return Task.FromResult<IArchiveStore>(Open(DatabasePath, time, signal));
    }

    /// <summary>A store on the file at <paramref name="path"/>, closed after the test.</summary>
    public SqliteArchiveStore Open(string path, TimeProvider time, WorkSignal signal)
    {
        var store = new SqliteArchiveStore(new SqliteStoreOptions { DatabasePath = path }, TokenProtector, signal, time);
        _stores.Add(store);
        return store;
    }

    public override async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
