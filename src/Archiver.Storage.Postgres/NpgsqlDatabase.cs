using System.Data.Common;
using Archiver.Storage.Relational;
using Npgsql;

namespace Archiver.Storage.Postgres;

/// <summary>
/// The connections to one PostgreSQL database, pooled by one data source. A statement that runs alone commits by
/// itself; work of several statements runs in a read-committed transaction.
/// </summary>
internal sealed class NpgsqlDatabase : IStoreDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public NpgsqlDatabase(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));
    }

    /// <summary>Row locks: nodes write at once, and only a lock makes one wait for another.</summary>
    public string ForUpdate => "FOR UPDATE";

    /// <summary>A statement that runs alone, on a pooled connection of its own, committing by itself.</summary>
    public NpgsqlCommand Command(string sql) => _dataSource.CreateCommand(sql);

    /// <summary>A pooled connection of its own, for work that manages its own transactions (migrations).</summary>
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="work"/> in a read-committed transaction and commits it when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    public async Task<int> ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        using var command = Command(sql);
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Lets Npgsql prepare the statements a node repeats (claims, checkpoints, renewals) once per connection, so the
    /// server stops parsing and planning them on every call; a connection string that says otherwise wins.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }; // only the keys written
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32 }.ConnectionString;
    }
}
