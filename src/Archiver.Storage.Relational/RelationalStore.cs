using System.Data.Common;
using Archiver.Core.Security;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

/// <summary>
/// The part of an <see cref="IArchiveStore"/> that is the same on every SQL database: the same statements over the same
/// rows, journaled alike. A store hands these operations to it, and runs itself only what its dialect does its own way;
/// both reach the database through the store's <see cref="IStoreDatabase"/>. The operations are split by area over the
/// partial files beside this one.
/// </summary>
internal sealed partial class RelationalStore
{
    private readonly IStoreDatabase _database;
    private readonly ITokenProtector _tokenProtector;
    private readonly TimeProvider _time;

    public RelationalStore(IStoreDatabase database, ITokenProtector tokenProtector, TimeProvider timeProvider)
    {
        _database = database;
        _tokenProtector = tokenProtector;
        _time = timeProvider;
    }

    /// <summary>Reads every row <paramref name="sql"/> selects, its parameters bound by <paramref name="bind"/>.</summary>
    private async Task<List<T>> ReadAsync<T>(string sql, Action<DbCommand>? bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var select = connection.Command(sql);
            bind?.Invoke(select);
            return await select.ReadAllAsync(read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first column of the first row <paramref name="sql"/> selects, or null when it selects none.</summary>
    private async Task<object?> ReadScalarAsync(string sql, Action<DbCommand>? bind, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var select = connection.Command(sql);
            bind?.Invoke(select);
            return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
