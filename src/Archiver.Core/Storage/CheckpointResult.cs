namespace Archiver.Core.Storage;

/// <summary>What a checkpoint write did.</summary>
/// <param name="Applied">Outcomes written.</param>
/// <param name="Rejected">Outcomes refused because the lease's fencing token is stale or the item was not in flight under it.</param>
public readonly record struct CheckpointResult(int Applied, int Rejected);
