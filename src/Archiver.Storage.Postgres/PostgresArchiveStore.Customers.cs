using Archiver.Core.Customers;

namespace Archiver.Storage.Postgres;

public sealed partial class PostgresArchiveStore
{
    public Task<Customer> AddCustomerAsync(NewCustomer customer, CancellationToken cancellationToken) =>
        _relational.AddCustomerAsync(customer, cancellationToken);

    public Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken cancellationToken) =>
        _relational.GetCustomerAsync(id, cancellationToken);

    public Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken) =>
        _relational.ListCustomersAsync(cancellationToken);

    public Task<long> GetCustomersVersionAsync(CancellationToken cancellationToken) =>
        _relational.GetCustomersVersionAsync(cancellationToken);

    public Task<Customer?> UpdateCustomerAsync(CustomerId id, CustomerUpdate update, CancellationToken cancellationToken) =>
        _relational.UpdateCustomerAsync(id, update, cancellationToken);

    public Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken) =>
        _relational.SetCustomerStateAsync(id, state, reason, cancellationToken);
}
