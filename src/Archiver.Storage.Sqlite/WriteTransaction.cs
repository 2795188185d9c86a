using Microsoft.Data.Sqlite;

namespace Archiver.Storage.Sqlite;

/// <summary>The open write transaction a store operation runs in.</summary>
internal sealed class WriteTransaction(SqliteConnection connection, SqliteTransaction transaction)
{
    public SqliteCommand Command(string sql) => connection.Command(sql, transaction);
}
