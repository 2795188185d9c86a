using System.Data.Common;

namespace Archiver.Storage.Relational;

/// <summary>
/// How one store reaches its database: all that <see cref="RelationalArchiveStore"/> asks of a dialect. Reads run on a
/// connection of their own; writes run in one transaction, or as one statement, each committed when it returns.
/// </summary>
internal interface IStoreDatabase
{
    /// <summary>
    /// What a <c>SELECT</c> in a write transaction ends with to lock the rows it reads until the transaction ends
    /// (<c>FOR UPDATE</c>), or nothing where a write transaction already keeps every other writer out.
    /// </summary>
    string ForUpdate { get; }

    /// <summary>Opens a connection to read on, outside any transaction; disposing it gives it back.</summary>
    ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it when it returns.</summary>
    Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one statement that writes, its parameters bound by <paramref name="bind"/>, as a transaction of its own.
    /// Returns how many rows it changed.
    /// </summary>
    Task<int> ExecuteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken);
}
