using System.Data.Common;
using Archiver.Core.Security;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

/// <summary>
/// An <see cref="IArchiveStore"/> on a SQL database: the operations that are the same on every dialect (the same
/// statements over the same rows, journaled alike) run here, and a store derives from this class to run, in the
/// abstract members' overrides, what its dialect does its own way (enqueue, claim, checkpoint, retry, renew, append,
/// migrate, and the steps of taking a lease and of joining the cluster). The shared operations reach the database
/// through the store's <see cref="Database"/>. Only the stores of this solution derive from it. The operations are split by area over the
/// partial files beside this one.
/// </summary>
public abstract partial class RelationalArchiveStore : IArchiveStore
{
    private readonly ITokenProtector _tokenProtector;

    /// <summary>Keeps what the shared operations need besides the database; the deriving store checks its arguments.</summary>
    private protected RelationalArchiveStore(ITokenProtector tokenProtector, TimeProvider timeProvider)
    {
        _tokenProtector = tokenProtector;
        Time = timeProvider;
    }

    /// <summary>Where the store reads the current time.</summary>
    private protected TimeProvider Time { get; }

    /// <summary>How the store reaches its database.</summary>
    private protected abstract IStoreDatabase Database { get; }

    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Reads every row <paramref name="sql"/> selects, its parameters bound by <paramref name="bind"/>.</summary>
    private async Task<List<T>> ReadAsync<T>(string sql, Action<DbCommand>? bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var connection = await Database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
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
        var connection = await Database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var select = connection.Command(sql);
            bind?.Invoke(select);
            return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
