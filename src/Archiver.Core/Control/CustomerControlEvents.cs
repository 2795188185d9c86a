using Archiver.Core.Customers;

namespace Archiver.Core.Control;

/// <summary>What a customer's <see cref="CustomerControl"/> journals. Serialized by <see cref="CustomerControlSerializer"/>.</summary>
public interface ICustomerControlEvent;

/// <summary>The customer was paused or resumed by an operator, or parked because Dropbox refused it.</summary>
public sealed record LifecycleChanged(CustomerState State, string Reason) : ICustomerControlEvent;

/// <summary>The customer's throttle settled at this rate after Dropbox's 429s (or climbed back to it).</summary>
public sealed record RateLearned(double RatePerSecond) : ICustomerControlEvent;
