using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>
/// Customers' leases: which node runs each customer's pipeline, until when, and under which fencing token.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the customer's lease for <paramref name="nodeId"/> unless another node holds an unexpired one.
    /// Every successful take bumps the fencing token and returns items claimed under older tokens to pending.
    /// The five-argument shape without a member list: only expiry or release frees another node's lease.
    /// </summary>
    Task<Lease?> AcquireLeaseAsync(CustomerId customer, string nodeId, TimeSpan duration, CancellationToken cancellationToken) =>
        AcquireLeaseAsync(customer, nodeId, duration, liveNodes: null, cancellationToken);

    /// <summary>
    /// Takes the customer's lease for <paramref name="nodeId"/> unless another node holds an unexpired one.
    /// Every successful take bumps the fencing token and returns items claimed under older tokens to pending.
    /// When <paramref name="liveNodes"/> is given, a lease held by a node not in it is taken over at once, expired or
    /// not: the cluster no longer counts that node as a member, and the new fencing token keeps its late writes out.
    /// </summary>
    Task<Lease?> AcquireLeaseAsync(
        CustomerId customer, string nodeId, TimeSpan duration, IReadOnlyCollection<string>? liveNodes, CancellationToken cancellationToken);

    /// <summary>
    /// Extends held leases, all in one round trip. Returns the renewed leases (with their new expiry); a lease missing
    /// from the result was lost (expired and taken, or released).
    /// </summary>
    Task<IReadOnlyList<Lease>> RenewLeasesAsync(IReadOnlyList<Lease> leases, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up so another node may take it at once.</summary>
    Task ReleaseLeaseAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Every lease currently held (not released, not expired), by customer id.</summary>
    Task<IReadOnlyList<Lease>> ListLeasesAsync(CancellationToken cancellationToken);
}
