using System.Data.Common;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Postgres;

/// <summary>
/// How PostgreSQL migrates: every step's transaction first takes <see cref="AdvisoryLock.Migrations"/>, so nodes
/// migrating the same database at once take turns.
/// </summary>
internal sealed class PostgresMigrator : Migrator
{
    public static PostgresMigrator Instance { get; } = new();

    protected override string CreateHistorySql => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer NOT NULL PRIMARY KEY,
            name       text    NOT NULL,
            applied_at bigint  NOT NULL
        );
        """;

    protected override async Task<DbTransaction> BeginTurnAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AdvisoryLock.TakeAsync(transaction, AdvisoryLock.Migrations, cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
