using Archiver.Core.Customers;

namespace Archiver.Core.Pipeline;

/// <summary>Nothing of this customer can upload until someone acts; its actor parks it in <see cref="State"/>.</summary>
public sealed class CustomerBlockedException(CustomerState state, string reason) : Exception(reason)
{
    public CustomerState State { get; } = state;
}
