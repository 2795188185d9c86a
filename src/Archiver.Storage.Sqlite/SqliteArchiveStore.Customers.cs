using Archiver.Customers;
using Archiver.Storage.Relational;

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
                                           rate_per_second, burst, parallelism, path_template, conflict_policy, created_at)
                    VALUES (@id, @name, 'active', @access_token, @refresh_token,
                            @rate_per_second, @burst, @parallelism, @path_template, @conflict_policy, @now)
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
                insert.Bind("@conflict_policy", tuning.ConflictPolicy is { } policy ? DbText.Of(policy) : null);
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

    public async Task<long> GetCustomersVersionAsync(CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        using var select = connection.Command("SELECT version FROM customers_version");
        return (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<Customer?> UpdateCustomerAsync(CustomerId id, CustomerUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var now = _time.Now();

        var updated = await _database.WriteAsync(
            async transaction =>
            {
                using var change = transaction.Command("""
                    UPDATE customers SET
                        name = coalesce(@name, name),
                        access_token_protected  = CASE WHEN @set_dropbox THEN @access_token ELSE access_token_protected END,
                        refresh_token_protected = CASE WHEN @set_dropbox THEN @refresh_token ELSE refresh_token_protected END,
                        rate_per_second = CASE WHEN @set_tuning THEN @rate_per_second ELSE rate_per_second END,
                        burst           = CASE WHEN @set_tuning THEN @burst ELSE burst END,
                        parallelism     = CASE WHEN @set_tuning THEN @parallelism ELSE parallelism END,
                        path_template   = CASE WHEN @set_tuning THEN @path_template ELSE path_template END,
                        conflict_policy = CASE WHEN @set_tuning THEN @conflict_policy ELSE conflict_policy END
                    WHERE id = @id
                    """);
                var tuning = update.Tuning ?? CustomerTuning.Default;
                change.Bind("@id", id.Value);
                change.Bind("@name", update.Name);
                change.Bind("@set_dropbox", update.Dropbox is not null);
                change.Bind("@access_token", Protect(update.Dropbox?.AccessToken));
                change.Bind("@refresh_token", Protect(update.Dropbox?.RefreshToken));
                change.Bind("@set_tuning", update.Tuning is not null);
                change.Bind("@rate_per_second", tuning.RatePerSecond);
                change.Bind("@burst", tuning.Burst);
                change.Bind("@parallelism", tuning.Parallelism);
                change.Bind("@path_template", tuning.PathTemplate);
                change.Bind("@conflict_policy", tuning.ConflictPolicy is { } policy ? DbText.Of(policy) : null);
                if (await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                using var events = new EventWriter(transaction);
                await events.AppendAsync(EventTypes.CustomerUpdated, id, null, DescribeUpdate(update), now, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

        return updated ? await GetCustomerAsync(id, cancellationToken).ConfigureAwait(false) : null;
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

    private static string DescribeUpdate(CustomerUpdate update)
    {
        var changed = new List<string>(3);
        if (update.Name is not null)
        {
            changed.Add("name");
        }

        if (update.Dropbox is not null)
        {
            changed.Add("Dropbox credentials");
        }

        if (update.Tuning is not null)
        {
            changed.Add("tuning");
        }

        return changed.Count == 0 ? "Customer updated (nothing changed)." : $"Customer updated: {string.Join(", ", changed)}.";
    }

    private string? Protect(Secret? secret) => secret is { } value ? _tokenProtector.Protect(value.Reveal) : null;
}
