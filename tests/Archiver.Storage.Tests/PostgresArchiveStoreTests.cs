using Archiver.Core.Customers;
using Archiver.Core.Storage;
using Archiver.Storage.Postgres;
using Npgsql;

namespace Archiver.Storage.Tests;

/// <summary>The whole store's contract against PostgreSQL (a database of its own per store), plus what only PostgreSQL can show.</summary>
public sealed class PostgresArchiveStoreTests : ArchiveStoreContractTests
{
    private readonly PostgresTestStores _postgres;

    public PostgresArchiveStoreTests()
        : this(new PostgresTestStores())
    {
    }

    private PostgresArchiveStoreTests(PostgresTestStores postgres)
        : base(postgres) => _postgres = postgres;

    /// <summary>The database of the store most recently created.</summary>
    private string ConnectionString => _postgres.ConnectionString;

    [Fact]
    public async Task Tokens_AreEncryptedAtRest()
    {
        var store = await NewStoreAsync();
        await store.AddCustomerAsync(
            new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.PLAINTEXT-ACCESS"), new Secret("PLAINTEXT-REFRESH"))), Ct);

        var stored = await QueryAsync("SELECT access_token_protected || ' ' || refresh_token_protected FROM customers");

        Assert.DoesNotContain("PLAINTEXT", Assert.Single(stored), StringComparison.Ordinal);
        Assert.Equal("sl.PLAINTEXT-ACCESS", (await store.GetCustomerAsync(Acme, Ct))?.Dropbox.AccessToken?.Reveal);
    }

    [Fact]
    public async Task UpdatedTokens_AreEncryptedAtRest()
    {
        var store = await NewStoreAsync(Acme);

        await store.UpdateCustomerAsync(
            Acme, new CustomerUpdate(Dropbox: new DropboxCredentials(new Secret("sl.PLAINTEXT-ACCESS"), new Secret("PLAINTEXT-REFRESH"))), Ct);

        var stored = await QueryAsync("SELECT access_token_protected || ' ' || refresh_token_protected FROM customers");
        Assert.DoesNotContain("PLAINTEXT", Assert.Single(stored), StringComparison.Ordinal);
        Assert.Equal("PLAINTEXT-REFRESH", (await store.GetCustomerAsync(Acme, Ct))?.Dropbox.RefreshToken?.Reveal);
    }

    [Fact]
    public async Task Migrate_RecordsEachMigrationOnce()
    {
        var store = await NewStoreAsync();
        await store.MigrateAsync(Ct);
        await Open(ConnectionString, Time, Signal).MigrateAsync(Ct);

        var versions = await QueryAsync("SELECT version::text FROM schema_migrations ORDER BY schema_migrations.version");

        Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), versions);
        Assert.True(versions.Count >= 6);
    }

    [Fact]
    public async Task NodeRegisteredBeforeTheClusterAddressMigration_ListsWithAnEmptyOne()
    {
        await NewStoreAsync();
        await QueryAsync("""
            ALTER TABLE nodes DROP COLUMN cluster_address;
            DELETE FROM schema_migrations WHERE name = 'nodes cluster address';
            INSERT INTO nodes (node_id, address, started_at, last_heartbeat, items_per_sec)
            VALUES ('node-old', 'http://10.0.0.9:8080', 0, 0, 1.5);
            """);

        var upgraded = Open(ConnectionString, Time, Signal);
        await upgraded.MigrateAsync(Ct);

        var node = Assert.Single(await upgraded.ListNodesAsync(Ct));
        Assert.Equal(("node-old", "http://10.0.0.9:8080", ""), (node.NodeId, node.Address, node.ClusterAddress));
    }

    [Fact]
    public async Task EnumsAreStoredAsSnakeCaseText()
    {
        var store = await NewStoreAsync(Acme);
        await EnqueueAsync(store, Acme, 1);
        await store.SetCustomerStateAsync(Acme, CustomerState.NeedsReauth, "revoked", Ct);
        await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Tuning: new CustomerTuning(ConflictPolicy: ConflictPolicy.Autorename)), Ct);
        await store.ClaimAsync(await LeaseAsync(store, Acme), 0, 1, Ct);

        var row = await QueryAsync("SELECT c.state || ' ' || c.conflict_policy || ' ' || i.kind || ' ' || i.status FROM customers c JOIN items i ON i.customer_id = c.id");

        Assert.Equal("needs_reauth autorename call_recording in_flight", Assert.Single(row));
    }

    [Fact]
    public async Task UnknownStateInTheDatabase_ThrowsNamingColumnAndValue()
    {
        var store = await NewStoreAsync(Acme);
        await QueryAsync("UPDATE customers SET state = 'hibernating' RETURNING id");

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetCustomerAsync(Acme, Ct));

        Assert.Contains("customers.state", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("hibernating", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithoutConnectionString_Throws()
    {
        var thrown = Assert.Throws<ArgumentException>(
            () => new PostgresArchiveStore(new PostgresStoreOptions(), _postgres.TokenProtector, Signal, Time));

        Assert.Contains("ConnectionString", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_ManyItemsWithDuplicates_ReturnsOneResultPerItemInOrder()
    {
        var store = await NewStoreAsync(Acme, Globex);
        var before = await EnqueueAsync(store, Acme, 500, "old");
        var items = Enumerable.Range(0, 5_000)
            .Select(i => NewItem(i % 2 == 0 ? Acme : Globex, i % 10 == 0 ? $"old-{i / 10}" : $"new-{i}"))
            .ToList();

        var results = await store.EnqueueAsync(items, Ct);

        Assert.Equal(items.Count, results.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var isOldAcmeItem = i % 10 == 0; // even i: Acme
            Assert.Equal(!isOldAcmeItem, results[i].Created);
            if (isOldAcmeItem)
            {
                Assert.Equal(before[i / 10], results[i].ItemId);
            }
        }

        var created = results.Where(r => r.Created).Select(r => r.ItemId).ToList();
        Assert.Equal(created.Order(), created);
        Assert.Equal(500 + created.Count, (await store.GetProgressAsync(null, Ct)).Sum(p => p.Pending));
    }

    private PostgresArchiveStore Open(string connectionString, TimeProvider time, WorkSignal signal) => _postgres.Open(connectionString, time, signal);

    /// <summary>Runs SQL on a connection of the test's own, outside the store; returns the first column as text.</summary>
    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
