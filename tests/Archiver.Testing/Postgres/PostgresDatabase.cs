namespace Archiver.Testing.Postgres;

/// <summary>
/// A database of its own on the process's <see cref="PostgresServer"/>, dropped (with whoever is still connected)
/// on dispose: <c>await using var database = await PostgresDatabase.CreateAsync();</c>
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private PostgresDatabase(PostgresServer server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
    }

    /// <summary>An Npgsql connection string to this database (127.0.0.1, trust authentication).</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var server = await PostgresServer.GetAsync();
        return new PostgresDatabase(server, await server.CreateDatabaseAsync(prefix, cancellationToken));
    }

    public async ValueTask DisposeAsync() => await _server.DropDatabaseAsync(ConnectionString);
}
