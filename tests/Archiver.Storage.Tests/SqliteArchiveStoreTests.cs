using System.Text;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Archiver.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Tests;

/// <summary>The whole store's contract against SQLite, plus what only a file on disk can show.</summary>
public sealed class SqliteArchiveStoreTests : ArchiveStoreContractTests
{
    private readonly SqliteTestStores _sqlite;

    public SqliteArchiveStoreTests()
        : this(new SqliteTestStores())
    {
    }

    private SqliteArchiveStoreTests(SqliteTestStores sqlite)
        : base(sqlite) => _sqlite = sqlite;

    /// <summary>The file of the store most recently created.</summary>
    private string DatabasePath => _sqlite.DatabasePath;

    [Fact]
    public async Task Tokens_AreEncryptedAtRest()
    {
        var store = await NewStoreAsync();
        await store.AddCustomerAsync(
            new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.PLAINTEXT-ACCESS"), new Secret("PLAINTEXT-REFRESH"))), Ct);

        await using (var connection = await OpenRawAsync())
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT access_token_protected, refresh_token_protected FROM customers";
            using var reader = await select.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.DoesNotContain("PLAINTEXT", reader.GetString(0), StringComparison.Ordinal);
            Assert.DoesNotContain("PLAINTEXT", reader.GetString(1), StringComparison.Ordinal);
        }

        // Nor anywhere in the files: the database, its write-ahead log, its shared memory.
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!))
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            Assert.DoesNotContain("PLAINTEXT", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UpdatedTokens_AreEncryptedAtRest()
    {
        var store = await NewStoreAsync(Acme);

        await store.UpdateCustomerAsync(
            Acme, new CustomerUpdate(Dropbox: new DropboxCredentials(new Secret("sl.PLAINTEXT-ACCESS"), new Secret("PLAINTEXT-REFRESH"))), Ct);

        await using (var connection = await OpenRawAsync())
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT access_token_protected || ' ' || refresh_token_protected FROM customers";
            Assert.DoesNotContain("PLAINTEXT", (string)(await select.ExecuteScalarAsync(Ct))!, StringComparison.Ordinal);
        }

        Assert.Equal("PLAINTEXT-REFRESH", (await store.GetCustomerAsync(Acme, Ct))?.Dropbox.RefreshToken?.Reveal);
    }

    [Fact]
    public async Task Migrate_RecordsEachMigrationOnce()
    {
        var store = await NewStoreAsync();
        await store.MigrateAsync(Ct);
        var reopened = Open(DatabasePath, Time, Signal);
        await reopened.MigrateAsync(Ct);

        await using var connection = await OpenRawAsync();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT COUNT(*), COUNT(DISTINCT version), MIN(version) FROM schema_migrations";
        using var reader = await select.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        Assert.Equal(1, reader.GetInt64(2));
    }

    [Fact]
    public async Task NodeRegisteredBeforeTheClusterAddressMigration_ListsWithAnEmptyOne()
    {
        await NewStoreAsync();
        await ExecuteRawAsync("""
            ALTER TABLE nodes DROP COLUMN cluster_address;
            DELETE FROM schema_migrations WHERE name = 'nodes cluster address';
            INSERT INTO nodes (node_id, address, started_at, last_heartbeat, items_per_sec)
            VALUES ('node-old', 'http://10.0.0.9:8080', 0, 0, 1.5);
            """);

        var upgraded = Open(DatabasePath, Time, Signal);
        await upgraded.MigrateAsync(Ct);

        var node = Assert.Single(await upgraded.ListNodesAsync(Ct));
        Assert.Equal(("node-old", "http://10.0.0.9:8080", ""), (node.NodeId, node.Address, node.ClusterAddress));
    }

    [Fact]
    public async Task Reopened_StoreKeepsEverything()
    {
        var store = await NewStoreAsync(Acme);
        var ids = await EnqueueAsync(store, Acme, 3);
        await ((SqliteArchiveStore)store).DisposeAsync();

        var reopened = Open(DatabasePath, Time, Signal);
        await reopened.MigrateAsync(Ct);

        Assert.Equal("access-acme", (await reopened.GetCustomerAsync(Acme, Ct))?.Dropbox.AccessToken?.Reveal);
        Assert.Equal(ids, (await ItemsAsync(reopened, Acme)).Select(i => i.Item.Id));
    }

    [Fact]
    public async Task UnknownStateInTheDatabase_ThrowsNamingColumnAndValue()
    {
        var store = await NewStoreAsync(Acme);
        await ExecuteRawAsync("UPDATE customers SET state = 'hibernating'");

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetCustomerAsync(Acme, Ct));

        Assert.Contains("customers.state", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("hibernating", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKindInTheDatabase_ThrowsNamingColumnAndValue()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 1);
        await ExecuteRawAsync("UPDATE items SET kind = 'telegram'");

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => ItemsAsync(store, Acme));

        Assert.Contains("items.kind", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("telegram", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnumsAreStoredAsSnakeCaseText()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 1);
        await store.SetCustomerStateAsync(Acme, CustomerState.NeedsReauth, "revoked", Ct);
        await store.ClaimAsync(await LeaseAsync(store, Acme), 0, 1, Ct);

        await using var connection = await OpenRawAsync();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT c.state, i.kind, i.status FROM customers c JOIN items i ON i.customer_id = c.id";
        using var reader = await select.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(["needs_reauth", "call_recording", "in_flight"], [reader.GetString(0), reader.GetString(1), reader.GetString(2)]);
    }

    [Fact]
    public async Task NewDatabase_ItsSideFilesAndDirectory_AreReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions
        }

        var store = await NewStoreAsync(Acme); // the WAL and its shared memory exist once something was written
        await EnqueueAsync(store, Acme, 1);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(DatabasePath)!));
        var files = Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, "archiver.db*");
        Assert.Equal(["archiver.db", "archiver.db-shm", "archiver.db-wal"], files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task Open_AFileThatIsNotADatabase_RefusesToStartNamingTheFile()
    {
        var path = Path.Combine(_sqlite.Root, "not-a-database", "archiver.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "these are somebody's notes, not a database\n", Ct);

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(async () => await Open(path, Time, Signal).MigrateAsync(Ct));

        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public async Task Migrate_ADamagedDatabase_RefusesToStartNamingTheFile()
    {
        var path = Path.Combine(_sqlite.Root, "damaged", "archiver.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [.. "SQLite format 3\0"u8, .. Enumerable.Repeat((byte)0xA5, 8192)], Ct);

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(async () => await Open(path, Time, Signal).MigrateAsync(Ct));

        Assert.Contains(path, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void Constructor_WithoutDatabasePath_Throws()
    {
        var thrown = Assert.Throws<ArgumentException>(
            () => new SqliteArchiveStore(new SqliteStoreOptions(), _sqlite.TokenProtector, Signal, Time));

        Assert.Contains("DatabasePath", thrown.Message, StringComparison.Ordinal);
    }

    private SqliteArchiveStore Open(string path, TimeProvider time, WorkSignal signal) => _sqlite.Open(path, time, signal);

    /// <summary>A connection of the test's own, outside the store, to look at or tamper with the file.</summary>
    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    private async Task ExecuteRawAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
