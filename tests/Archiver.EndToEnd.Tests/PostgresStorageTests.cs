using Archiver.Dropbox.Emulator;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Npgsql;

namespace Archiver.EndToEnd.Tests;

/// <summary>The executable configured for the PostgreSQL store: settings checked, commands and the node on the shared database.</summary>
public sealed class PostgresStorageTests : EmulatorTest
{
    [Theory]
    [InlineData("postgres", "archiver.storage.postgres.connection-string")]
    [InlineData("oracle", "archiver.storage.provider = \"oracle\": Use sqlite or postgres.")]
    public async Task Run_WithAnUnusableStorageSetting_RefusesToStartNamingTheSetting(string provider, string expected)
    {
        var result = await ArchiverProcess.RunAsync(Work, "run", "--set", $"archiver.storage.provider={provider}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configuration error", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsAndNode_WithPostgres_KeepEverythingInTheSharedDatabase()
    {
        await using var database = await PostgresDatabase.CreateAsync("e2e");
        Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
        var migrated = await ArchiverProcess.RunAsync(Work, "db", "migrate",
            "--set", "archiver.storage.provider=postgres", "--set", $"archiver.storage.postgres.connection-string={database.ConnectionString}");
        Assert.True(migrated.ExitCode == 0, migrated.Output + migrated.Error);

        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri, $$"""
            archiver.storage { provider = postgres, postgres.connection-string = "{{database.ConnectionString}}" }
            """);
        var recording = Path.Combine(Work, "recordings", "call-1.wav");
        await File.WriteAllBytesAsync(recording, new byte[4096]);
        var added = await node.CliAsync("customers", "add", "acme", "--access-token", "sl.acme");
        Assert.True(added.ExitCode == 0, added.Output + added.Error);
        var enqueued = await node.CliAsync("enqueue", "--customer", "acme", "--external-id", "call-1", "--kind", "CallRecording", "--file", recording);
        Assert.True(enqueued.ExitCode == 0, enqueued.Output + enqueued.Error);

        await Eventually.TrueAsync(() => Emulator.Files("acme").Count == 1, "the node archives the recording", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await ScalarAsync(database.ConnectionString, "SELECT status FROM items") == "archived", "the item is checkpointed");
        await ArchiverProcess.TerminateAsync(node.Process);
        Assert.Equal(0, node.Process.ExitCode);

        Assert.False(File.Exists(Path.Combine(Work, "state", "archiver.db")), "nothing may go to the SQLite file");
        Assert.Equal("acme", await ScalarAsync(database.ConnectionString, "SELECT id FROM customers"));
        Assert.DoesNotContain("sl.acme", await ScalarAsync(database.ConnectionString, "SELECT access_token_protected FROM customers"), StringComparison.Ordinal);
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
