using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>One entry of the append-only journal.</summary>
/// <param name="Sequence">Increasing position in the journal.</param>
public sealed record ArchiveEvent(long Sequence, DateTimeOffset At, CustomerId? Customer, long? ItemId, string Type, string Details);
