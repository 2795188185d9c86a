using Archiver.Security;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// The single-node <see cref="IArchiveStore"/>: one SQLite file in WAL mode. The operations are split by area over
/// the partial files beside this one (customers, items, checkpoints, leases, journal).
/// </summary>
public sealed partial class SqliteArchiveStore : IArchiveStore, IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly ITokenProtector _tokenProtector;
    private readonly WorkSignal _workSignal;
    private readonly TimeProvider _time;

    public SqliteArchiveStore(SqliteStoreOptions options, ITokenProtector tokenProtector, WorkSignal workSignal, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenProtector);
        ArgumentNullException.ThrowIfNull(workSignal);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw new ArgumentException($"{nameof(SqliteStoreOptions)}.{nameof(options.DatabasePath)} must name the database file.", nameof(options));
        }

        _database = new SqliteDatabase(options.DatabasePath);
        _tokenProtector = tokenProtector;
        _workSignal = workSignal;
        _time = timeProvider;
    }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        _database.WithWriteConnectionAsync(
            async connection =>
            {
                await Migrator.ApplyAsync(connection, Migrations.All, _time.Now(), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>True when the lease's fencing token is still the customer's current one.</summary>
    private static async Task<bool> IsCurrentAsync(WriteTransaction transaction, Lease lease, CancellationToken cancellationToken)
    {
        using var check = transaction.Command("SELECT 1 FROM leases WHERE customer_id = @customer AND fencing_token = @token");
        check.Bind("@customer", lease.Customer.Value);
        check.Bind("@token", lease.FencingToken);
        return await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
