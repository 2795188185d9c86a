using System.Diagnostics;
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
        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync("e2e");
        try
        {
            Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
            var config = Path.Combine(Work, "node.conf");
            await File.WriteAllTextAsync(config, $$"""
                archiver {
                  storage { provider = postgres, postgres.connection-string = "{{database}}" }
                  dropbox { api-base-uri = "{{Emulator.BaseUri}}", content-base-uri = ${archiver.dropbox.api-base-uri} }
                  content.roots = ["recordings"]
                  node.refresh-interval = 200ms
                }
                """);
            var recording = Path.Combine(Directory.CreateDirectory(Path.Combine(Work, "recordings")).FullName, "call-1.wav");
            await File.WriteAllBytesAsync(recording, new byte[4096]);

            var migrated = await ArchiverProcess.RunAsync(Work, "db", "migrate", "--config", config);
            Assert.True(migrated.ExitCode == 0, migrated.Output + migrated.Error);
            var added = await ArchiverProcess.RunAsync(Work, "customers", "add", "acme", "--access-token", "sl.acme", "--config", config);
            Assert.True(added.ExitCode == 0, added.Output + added.Error);
            var enqueued = await ArchiverProcess.RunAsync(Work, "enqueue", "--customer", "acme", "--external-id", "call-1", "--kind", "CallRecording",
                "--file", recording, "--config", config);
            Assert.True(enqueued.ExitCode == 0, enqueued.Output + enqueued.Error);

            using (var node = Process.Start(ArchiverProcess.StartInfo(Work, "run", "--config", config))!)
            {
                try
                {
                    await Eventually.TrueAsync(() => Emulator.Files("acme").Count == 1, "the node archives the recording", TimeSpan.FromSeconds(60));
                    await Eventually.TrueAsync(async () => await ScalarAsync(database, "SELECT status FROM items") == "archived", "the item is checkpointed");
                    await ArchiverProcess.TerminateAsync(node);
                    Assert.Equal(0, node.ExitCode);
                }
                finally
                {
                    if (!node.HasExited)
                    {
                        node.Kill(entireProcessTree: true);
                    }
                }
            }

            Assert.False(File.Exists(Path.Combine(Work, "data", "archiver.db")), "nothing may go to the SQLite file");
            Assert.Equal("acme", await ScalarAsync(database, "SELECT id FROM customers"));
            Assert.DoesNotContain("sl.acme", await ScalarAsync(database, "SELECT access_token_protected FROM customers"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
