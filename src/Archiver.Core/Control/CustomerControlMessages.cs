using Archiver.Customers;

namespace Archiver.Control;

/// <summary>An operator paused or resumed the customer: journal it, write it to the store, answer <see cref="LifecycleCommandDone"/>.</summary>
public sealed record LifecycleCommand(CustomerId Customer, CustomerState State, string Reason);

/// <summary>The answer to a <see cref="LifecycleCommand"/>: <see cref="Recorded"/> when the customer's control journaled it and wrote the store.</summary>
public sealed record LifecycleCommandDone(bool Recorded);

/// <summary>A customer's actor reports its throttle's rate (while its pipeline runs, and when it ends) against the ceiling in force.</summary>
public sealed record ThrottleRateObserved(double RatePerSecond, double CeilingPerSecond);

/// <summary>A customer's actor parked the customer (Dropbox refused it) and wrote that to the store.</summary>
public sealed record CustomerWasParked(CustomerState State, string Reason);
