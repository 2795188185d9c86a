using System.Data.Common;
using Archiver.Storage.Relational;

namespace Archiver.Storage.Postgres;

/// <summary>The transaction-scoped advisory locks by which nodes take turns at what must not run twice at once.</summary>
internal static class AdvisoryLock
{
    /// <summary>The lock every Archiver migration takes ("ARCHIVER" in ASCII).</summary>
    public const long Migrations = 0x4152_4348_4956_4552;

    /// <summary>
    /// The lock every join takes ("ARCHJOIN" in ASCII). A key of its own, not the migrations' one, so a join waits only
    /// on other joins, never on a node migrating the schema.
    /// </summary>
    public const long Joins = 0x4152_4348_4A4F_494E;

    /// <summary>Takes the lock <paramref name="key"/>, waiting for whoever holds it, until <paramref name="transaction"/> ends.</summary>
    public static async Task TakeAsync(DbTransaction transaction, long key, CancellationToken cancellationToken)
    {
        using var take = transaction.Command("SELECT pg_advisory_xact_lock(@key)");
        take.Bind("@key", key);
        await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
