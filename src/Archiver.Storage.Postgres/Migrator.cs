using Npgsql;

namespace Archiver.Storage.Postgres;

/// <summary>
/// Applies the migrations a database has not seen yet, each in its own transaction. Every transaction first takes one
/// transaction-scoped advisory lock, so nodes migrating the same database at once take turns: the second finds the
/// versions recorded by the first and applies nothing.
/// </summary>
internal static class Migrator
{
    /// <summary>The advisory lock key every Archiver migration takes ("ARCHIVER" in ASCII).</summary>
    private const long LockKey = 0x4152_4348_4956_4552;

    public static async Task ApplyAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, Func<long> nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // CREATE TABLE IF NOT EXISTS is not safe against a concurrent identical CREATE: take the lock for it too.
        await using (var transaction = await LockedTransactionAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            await using var create = connection.Command("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer NOT NULL PRIMARY KEY,
                    name       text    NOT NULL,
                    applied_at bigint  NOT NULL
                );
                """, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            await ApplyOneAsync(connection, migration, nowMs(), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, long nowMs, CancellationToken cancellationToken)
    {
        await using var transaction = await LockedTransactionAsync(connection, cancellationToken).ConfigureAwait(false);

        await using (var check = connection.Command("SELECT 1 FROM schema_migrations WHERE version = @version", transaction))
        {
            check.Bind("@version", migration.Version);
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        await using (var apply = connection.Command(migration.Sql, transaction))
        {
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var record = connection.Command(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)", transaction))
        {
            record.Bind("@version", migration.Version);
            record.Bind("@name", migration.Name);
            record.Bind("@now", nowMs);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<NpgsqlTransaction> LockedTransactionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var take = connection.Command("SELECT pg_advisory_xact_lock(@key)", transaction);
        take.Bind("@key", LockKey);
        await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }
}
