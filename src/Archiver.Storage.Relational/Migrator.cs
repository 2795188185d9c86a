using System.Data.Common;

namespace Archiver.Storage.Relational;

/// <summary>
/// Applies the migrations a database has not seen yet, each in its own transaction, recording each in
/// <c>schema_migrations</c>. A dialect says how that table is declared and how a transaction begins so that processes
/// migrating the same database at once take turns: the second finds the versions recorded by the first and applies nothing.
/// </summary>
internal abstract class Migrator
{
    /// <summary><c>CREATE TABLE IF NOT EXISTS schema_migrations (version, name, applied_at)</c> in the dialect's types.</summary>
    protected abstract string CreateHistorySql { get; }

    /// <summary>
    /// Begins a transaction on <paramref name="connection"/> that no other process migrating the same database runs
    /// alongside: it waits here for the one before it to commit.
    /// </summary>
    protected abstract Task<DbTransaction> BeginTurnAsync(DbConnection connection, CancellationToken cancellationToken);

    public async Task ApplyAsync(
        DbConnection connection, IReadOnlyList<Migration> migrations, Func<long> nowMs, CancellationToken cancellationToken)
    {
        // CREATE TABLE IF NOT EXISTS is not safe against a concurrent identical CREATE everywhere: it takes its turn too.
        var transaction = await BeginTurnAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            using (var create = transaction.Command(CreateHistorySql))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            await ApplyOneAsync(connection, migration, nowMs(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyOneAsync(DbConnection connection, Migration migration, long nowMs, CancellationToken cancellationToken)
    {
        var transaction = await BeginTurnAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            using (var check = transaction.Command("SELECT 1 FROM schema_migrations WHERE version = @version"))
            {
                check.Bind("@version", migration.Version);
                if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }
            }

            using (var apply = transaction.Command(migration.Sql))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using (var record = transaction.Command("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)"))
            {
                record.Bind("@version", migration.Version);
                record.Bind("@name", migration.Name);
                record.Bind("@now", nowMs);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
