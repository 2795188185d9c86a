using Archiver.Customers;
using Archiver.Pipeline;

namespace Archiver.Supervision;

/// <summary>
/// A new pipeline configuration for a <see cref="CustomerActor"/> and, when the node has one, a fresher record of the
/// customer (its stored tuning or credentials changed).
/// </summary>
public sealed record CustomerReconfigured(PipelineConfiguration Configuration, Customer? Customer = null);

/// <summary>The node no longer serves this customer (it moved, or the node stops): drain, hand everything back, stop.</summary>
public sealed record CustomerStopRequested
{
    public static CustomerStopRequested Instance { get; } = new();
}

/// <summary>The <see cref="LeaseKeeper"/> was refused a renewal of the lease with this fencing token: another node holds the customer now.</summary>
public sealed record CustomerLeaseLost(long FencingToken, string Reason);
