using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>Thrown when a customer is added under an id already taken.</summary>
public sealed class DuplicateCustomerException(CustomerId id)
    : InvalidOperationException($"A customer with id '{id}' already exists.")
{
    public CustomerId Id { get; } = id;
}
