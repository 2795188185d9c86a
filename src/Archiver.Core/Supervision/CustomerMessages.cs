using Archiver.Core.Customers;
using Archiver.Core.Pipeline;

namespace Archiver.Core.Supervision;

/// <summary>
/// A new pipeline configuration for a <see cref="CustomerActor"/> and, when the node has one, a fresher record of the
/// customer (its stored tuning or credentials changed).
/// </summary>
public sealed record CustomerReconfigured(PipelineConfiguration Configuration, Customer? Customer = null);

/// <summary>
/// The customer's shard moves (a node joined or leaves) or the node stops: drain, hand everything back, stop. The
/// sharding's hand-off message, so a customer's entity is never stopped with uploads under way.
/// </summary>
public sealed record CustomerStopRequested
{
    public static CustomerStopRequested Instance { get; } = new();
}

/// <summary>
/// The customer's record changed in the store (added, tuned, new credentials, a state set by an operator through any
/// node): its actor reads it again. Sent by every node that sees the change; reading twice is harmless.
/// </summary>
public sealed record CustomerRecordChanged
{
    public static CustomerRecordChanged Instance { get; } = new();
}

/// <summary>
/// The <see cref="LeaseKeeper"/> was refused a renewal of the lease with this fencing token: another node holds the
/// customer now. The keeper has logged and journaled the loss.
/// </summary>
public sealed record CustomerLeaseLost(long FencingToken);
