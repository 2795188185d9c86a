namespace Archiver.Core.Storage;

/// <summary>The outcome of enqueueing one item.</summary>
/// <param name="ItemId">The stored item's id (the existing one when it was a duplicate).</param>
/// <param name="Created">False when the customer already had an item with this external id.</param>
public readonly record struct EnqueueResult(long ItemId, bool Created);
