using Archiver.Customers;

namespace Archiver.Storage.Sqlite;

public sealed partial class SqliteArchiveStore
{
    public async Task<Customer> AddCustomerAsync(NewCustomer customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var tuning = customer.Tuning ?? CustomerTuning.Default;
        var now = _time.Now();

        await _database.WriteAsync(
            async transaction =>
            {
                using var insert = transaction.Command("""
                    INSERT INTO customers (id, name, state, access_token_protected, refresh_token_protected,
                                           rate_per_second, burst, parallelism, path_template, created_at)
                    VALUES (@id, @name, 'active', @access_token, @refresh_token,
                            @rate_per_second, @burst, @parallelism, @path_template, @now)
                    ON CONFLICT (id) DO NOTHING
                    """);
                insert.Bind("@id", customer.Id.Value);
                insert.Bind("@name", customer.Name);
                insert.Bind("@access_token", Protect(customer.Dropbox.AccessToken));
                insert.Bind("@refresh_token", Protect(customer.Dropbox.RefreshToken));
                insert.Bind("@rate_per_second", tuning.RatePerSecond);
                insert.Bind("@burst", tuning.Burst);
                insert.Bind("@parallelism", tuning.Parallelism);
                insert.Bind("@path_template", tuning.PathTemplate);
                insert.Bind("@now", now);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new DuplicateCustomerException(customer.Id);
                }

                using var events = new EventWriter(transaction);
                await events.AppendAsync(EventTypes.CustomerAdded, customer.Id, null, $"Customer '{customer.Name}' added.", now, cancellationToken)
                    .ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        return new Customer(customer.Id, customer.Name, CustomerState.Active, customer.Dropbox, tuning, UnixMs.ToTime(now));
    }

    public async Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command($"SELECT {CustomerRow.Columns} FROM customers WHERE id = @id");
        select.Bind("@id", id.Value);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? CustomerRow.Read(reader, _tokenProtector) : null;
    }

    public async Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command($"SELECT {CustomerRow.Columns} FROM customers ORDER BY id");
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var customers = new List<Customer>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            customers.Add(CustomerRow.Read(reader, _tokenProtector));
        }

        return customers;
    }

    public Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken)
    {
        var newState = DbText.Of(state);
        var now = _time.Now();

        return _database.WriteAsync(
            async transaction =>
            {
                using var select = transaction.Command("SELECT state FROM customers WHERE id = @id");
                select.Bind("@id", id.Value);
                if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string oldState)
                {
                    return false;
                }

                using var update = transaction.Command("UPDATE customers SET state = @state, state_reason = @reason WHERE id = @id");
                update.Bind("@id", id.Value);
                update.Bind("@state", newState);
                update.Bind("@reason", reason);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                using var events = new EventWriter(transaction);
                await events.AppendAsync(EventTypes.CustomerStateChanged, id, null, $"{oldState} -> {newState}: {reason}", now, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    private string? Protect(Secret? secret) => secret is { } value ? _tokenProtector.Protect(value.Reveal) : null;
}
