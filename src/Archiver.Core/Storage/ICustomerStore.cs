using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>
/// The customers: their Dropbox credentials, tuning and state. Adding a customer, updating it and changing its state
/// are journaled too (<see cref="IEventJournal"/>).
/// </summary>
public interface ICustomerStore
{
    /// <summary>Adds a customer. Throws <see cref="DuplicateCustomerException"/> when the id is taken.</summary>
    Task<Customer> AddCustomerAsync(NewCustomer customer, CancellationToken cancellationToken);

    /// <summary>The customer, or null when it does not exist.</summary>
    Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken cancellationToken);

    /// <summary>Every customer, by id.</summary>
    Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A number that changes whenever a customer is added or changed in any way (name, credentials, tuning, state),
    /// by any node. One small read: a node asks it every refresh and lists the customers only when it moved.
    /// </summary>
    Task<long> GetCustomersVersionAsync(CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="update"/> and journals it. Returns the updated customer, or null when it does not exist.</summary>
    Task<Customer?> UpdateCustomerAsync(CustomerId id, CustomerUpdate update, CancellationToken cancellationToken);

    /// <summary>Changes a customer's state and journals why. Returns false when the customer does not exist.</summary>
    Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken);
}
