using System.Data.Common;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    /// <summary>
    /// Joins take turns at an advisory lock held until commit, so a join that waited on it reads (with a fresh
    /// read-committed snapshot) the row of every join before it. Without it two nodes starting together could each miss
    /// the other's uncommitted row, and each start a cluster of its own.
    /// </summary>
    private protected override Task TakeJoinTurnAsync(DbTransaction transaction, CancellationToken cancellationToken) =>
        AdvisoryLock.TakeAsync(transaction, AdvisoryLock.Joins, cancellationToken);
}
