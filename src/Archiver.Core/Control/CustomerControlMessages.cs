using Archiver.Core.Customers;

namespace Archiver.Core.Control;

/// <summary>An operator paused or resumed the customer: journal it, write it to the store, answer <see cref="LifecycleCommandDone"/>.</summary>
public sealed record LifecycleCommand(CustomerId Customer, CustomerState State, string Reason);

/// <summary>The answer to a <see cref="LifecycleCommand"/>: <see cref="Recorded"/> when the customer's actor journaled it and wrote the store.</summary>
public sealed record LifecycleCommandDone(bool Recorded);

/// <summary>
/// The limit the customer's throttle learned from Dropbox, looked at while its pipeline runs and when it ends, against
/// the ceiling in force: journaled when it moved by 2 %.
/// </summary>
public sealed record LearnedLimitObserved(double RatePerSecond, double CeilingPerSecond);
