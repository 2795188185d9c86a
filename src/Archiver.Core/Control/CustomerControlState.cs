using Archiver.Core.Customers;

namespace Archiver.Core.Control;

/// <summary>
/// A customer's durable control state, as its journal adds up (and as it is snapshotted): its lifecycle and the rate
/// it learned from Dropbox. <see cref="Recorded"/> is false until the first event: a customer without a journal yet
/// takes its lifecycle from the store.
/// </summary>
public sealed record CustomerControlState(CustomerState Lifecycle, string? Reason, double? LearnedRate, bool Recorded = true)
{
    public static CustomerControlState Unrecorded { get; } = new(CustomerState.Active, null, null, Recorded: false);

    public CustomerControlState Apply(ICustomerControlEvent change) => change switch
    {
        LifecycleChanged changed => this with { Lifecycle = changed.State, Reason = changed.Reason, Recorded = true },
        RateLearned learned => this with { LearnedRate = learned.RatePerSecond, Recorded = true },
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "not a customer control event"),
    };
}
