using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>Applies the migrations a database has not seen yet, each in its own transaction.</summary>
internal static class Migrator
{
    public static async Task ApplyAsync(
        SqliteConnection connection, IReadOnlyList<Migration> migrations, long nowMs, CancellationToken cancellationToken)
    {
        using (var create = connection.Command("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT;
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            await ApplyOneAsync(connection, migration, nowMs, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ApplyOneAsync(SqliteConnection connection, Migration migration, long nowMs, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: another process migrating the same file waits here, then sees the version as applied.
        using var transaction = connection.BeginTransaction(deferred: false);

        using (var check = connection.Command("SELECT 1 FROM schema_migrations WHERE version = @version", transaction))
        {
            check.Bind("@version", migration.Version);
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        using (var apply = connection.Command(migration.Sql, transaction))
        {
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (var record = connection.Command(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)", transaction))
        {
            record.Bind("@version", migration.Version);
            record.Bind("@name", migration.Name);
            record.Bind("@now", nowMs);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
