using System.Data.Common;
using Archiver.Core.Node;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// The single-node <see cref="IArchiveStore"/>: one SQLite file in WAL mode. What every SQL store does alike it
/// inherits from <see cref="RelationalArchiveStore"/>; this class runs what SQLite does its own way. The operations are
/// split by area over the partial files beside this one (items, checkpoints, leases, journal, membership).
/// </summary>
public sealed partial class SqliteArchiveStore : RelationalArchiveStore, IAsyncDisposable
{
    private const int Corrupt = 11; // SQLITE_CORRUPT
    private const int NotADatabase = 26; // SQLITE_NOTADB

    private readonly SqliteDatabase _database;
    private readonly WorkSignal _workSignal;

    public SqliteArchiveStore(SqliteStoreOptions options, ITokenProtector tokenProtector, WorkSignal workSignal, TimeProvider timeProvider)
        : base(tokenProtector, timeProvider)
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
        _workSignal = workSignal;
    }

    private protected override IStoreDatabase Database => _database;

    /// <summary>
    /// Brings the schema up to date. A file SQLite calls not a database, or damaged, throws
    /// <see cref="StartupRefusedException"/> naming it: this is the first thing every command does with the store.
    /// </summary>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.WithWriteConnectionAsync(
                    async connection =>
                    {
                        await SqliteMigrator.Instance.ApplyAsync(connection, Migrations.All, Time.Now, cancellationToken).ConfigureAwait(false);
                        return true;
                    },
                    cancellationToken)
                .ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is NotADatabase or Corrupt)
        {
            throw new StartupRefusedException(
                $"{_database.FilePath} is not a SQLite database, or is damaged (SQLite error {ex.SqliteErrorCode}: {ex.Message.TrimEnd('.')}).", ex);
        }
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>True when the lease's fencing token is still the customer's current one.</summary>
    private static async Task<bool> IsCurrentAsync(DbTransaction transaction, Lease lease, CancellationToken cancellationToken)
    {
        using var check = transaction.Command("SELECT 1 FROM leases WHERE customer_id = @customer AND fencing_token = @token");
        check.Bind("@customer", lease.Customer.Value);
        check.Bind("@token", lease.FencingToken);
        return await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
