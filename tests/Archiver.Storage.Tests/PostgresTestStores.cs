using System.Security.Cryptography;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Postgres;
using Archiver.Testing.Postgres;

namespace Archiver.Storage.Tests;

/// <summary>
/// PostgreSQL stores for one test: a database of its own each on the process's throwaway <see cref="PostgresServer"/>,
/// dropped after the test.
/// </summary>
public sealed class PostgresTestStores : TestStores
{
    private readonly List<PostgresArchiveStore> _stores = [];
    private readonly List<string> _databases = [];
    private PostgresServer _server = null!;

    public AesGcmTokenProtector TokenProtector { get; } = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The database of the store most recently created.</summary>
    public string ConnectionString => _databases[^1];

    public override async Task InitializeAsync() => _server = await PostgresServer.GetAsync();

    public override async Task<IArchiveStore> CreateAsync(TimeProvider time, WorkSignal signal)
    {
        _databases.Add(await _server.CreateDatabaseAsync("contract"));
        return Open(ConnectionString, time, signal);
    }

    /// <summary>A store on the database at <paramref name="connectionString"/>, closed after the test.</summary>
    public PostgresArchiveStore Open(string connectionString, TimeProvider time, WorkSignal signal)
    {
        var store = new PostgresArchiveStore(new PostgresStoreOptions { ConnectionString = connectionString }, TokenProtector, signal, time);
        _stores.Add(store);
        return store;
    }

    public override async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await _server.DropDatabaseAsync(database);
        }
    }
}
