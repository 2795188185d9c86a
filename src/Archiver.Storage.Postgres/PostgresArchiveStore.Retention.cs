namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    /// <summary>A row a checkpoint (or another node's pruner) holds is left for a later batch, never waited on.</summary>
    private protected override string SkipLocked => "FOR UPDATE SKIP LOCKED";
}
