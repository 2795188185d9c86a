using System.Data.Common;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    /// <summary>
    /// No turn to take first: writers take turns anyway, within the process at the write gate and across processes at
    /// BEGIN IMMEDIATE.
    /// </summary>
    private protected override Task TakeJoinTurnAsync(DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;
}
