namespace Archiver.Storage.Sqlite;

/// <summary>Where the SQLite store keeps its database.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file; its directory is created when missing.</summary>
    public string DatabasePath { get; set; } = "";
}
