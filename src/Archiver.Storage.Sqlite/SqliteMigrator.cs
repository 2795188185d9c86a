using System.Data.Common;
using Archiver.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// How SQLite migrates: a STRICT history table, and every step in a BEGIN IMMEDIATE transaction, so another process
/// migrating the same file waits for the write lock, then sees the version as applied.
/// </summary>
internal sealed class SqliteMigrator : Migrator
{
    public static SqliteMigrator Instance { get; } = new();

    protected override string CreateHistorySql => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT;
        """;

    protected override Task<DbTransaction> BeginTurnAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
}
