using Archiver.Core.Items;

namespace Archiver.Core.Storage;

/// <summary>Outcomes of items one customer claimed under <see cref="Lease"/>, to be checkpointed with its fencing token.</summary>
public sealed record LeaseOutcomes(Lease Lease, IReadOnlyList<ItemOutcome> Outcomes);
