using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>How many of a customer's items are in each status.</summary>
public sealed record CustomerProgress(CustomerId Customer, long Pending, long InFlight, long Archived, long Failed)
{
    public long Total => Pending + InFlight + Archived + Failed;

    /// <summary>Items not yet in a final state.</summary>
    public long Backlog => Pending + InFlight;
}
