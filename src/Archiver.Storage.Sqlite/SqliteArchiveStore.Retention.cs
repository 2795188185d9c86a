namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    /// <summary>Nothing: each batch is a write transaction of its own, between which every other writer takes its turn.</summary>
    private protected override string SkipLocked => "";
}
