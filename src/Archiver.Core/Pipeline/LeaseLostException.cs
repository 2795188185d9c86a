using Archiver.Core.Storage;

namespace Archiver.Core.Pipeline;

/// <summary>The store refused a write because another node took the customer's lease.</summary>
public sealed class LeaseLostException(Lease lease, string detail)
    : Exception($"Lease of customer {lease.Customer} (fencing token {lease.FencingToken}) was lost: {detail}")
{
    public Lease Lease { get; } = lease;
}
