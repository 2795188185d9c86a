using System.Data.Common;
using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Storage.Relational;

public abstract partial class RelationalArchiveStore
{
    public async Task<Customer> AddCustomerAsync(NewCustomer customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var tuning = customer.Tuning ?? CustomerTuning.Default;
        var now = Time.Now();

        await Database.WriteAsync(
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
                BindTuning(insert, tuning);
                insert.Bind("@now", now);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new DuplicateCustomerException(customer.Id);
                }

                await EventWriter.AppendOneAsync(
                        transaction, EventTypes.CustomerAdded, customer.Id, null, $"Customer '{customer.Name}' added.", now, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

        return new Customer(customer.Id, customer.Name, CustomerState.Active, customer.Dropbox, tuning, UnixMs.ToTime(now));
    }

    public async Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken cancellationToken)
    {
        var found = await ReadAsync(
                $"SELECT {CustomerRow.Columns} FROM customers WHERE id = @id",
                select => select.Bind("@id", id.Value),
                row => CustomerRow.Read(row, _tokenProtector),
                cancellationToken)
            .ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<Customer>> ListCustomersAsync(CancellationToken cancellationToken) =>
        await ReadAsync($"SELECT {CustomerRow.Columns} FROM customers ORDER BY id", null, row => CustomerRow.Read(row, _tokenProtector), cancellationToken)
            .ConfigureAwait(false);

    public async Task<long> GetCustomersVersionAsync(CancellationToken cancellationToken) =>
        (long)(await ReadScalarAsync("SELECT version FROM customers_version", null, cancellationToken).ConfigureAwait(false))!;

    public async Task<Customer?> UpdateCustomerAsync(CustomerId id, CustomerUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var now = Time.Now();

        var updated = await Database.WriteAsync(
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
                change.Bind("@id", id.Value);
                change.Bind("@name", update.Name);
                change.Bind("@set_dropbox", update.Dropbox is not null);
                change.Bind("@access_token", Protect(update.Dropbox?.AccessToken));
                change.Bind("@refresh_token", Protect(update.Dropbox?.RefreshToken));
                change.Bind("@set_tuning", update.Tuning is not null);
                BindTuning(change, update.Tuning ?? CustomerTuning.Default);
                if (await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                await EventWriter.AppendOneAsync(transaction, EventTypes.CustomerUpdated, id, null, DescribeUpdate(update), now, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

        return updated ? await GetCustomerAsync(id, cancellationToken).ConfigureAwait(false) : null;
    }

    public Task<bool> SetCustomerStateAsync(CustomerId id, CustomerState state, string reason, CancellationToken cancellationToken)
    {
        var newState = DbText.Of(state);
        var now = Time.Now();

        return Database.WriteAsync(
            async transaction =>
            {
                // Locked where the dialect can: two nodes changing the state at once journal "old -> new" in the order they applied.
                using var select = transaction.Command($"SELECT state FROM customers WHERE id = @id {Database.ForUpdate}");
                select.Bind("@id", id.Value);
                if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string oldState)
                {
                    return false;
                }

                using var change = transaction.Command("UPDATE customers SET state = @state, state_reason = @reason WHERE id = @id");
                change.Bind("@id", id.Value);
                change.Bind("@state", newState);
                change.Bind("@reason", reason);
                await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                await EventWriter.AppendOneAsync(
                        transaction, EventTypes.CustomerStateChanged, id, null, $"{oldState} -> {newState}: {reason}", now, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    private static void BindTuning(DbCommand command, CustomerTuning tuning)
    {
        command.Bind("@rate_per_second", tuning.RatePerSecond);
        command.Bind("@burst", tuning.Burst);
        command.Bind("@parallelism", tuning.Parallelism);
        command.Bind("@path_template", tuning.PathTemplate);
        command.Bind("@conflict_policy", tuning.ConflictPolicy is { } policy ? DbText.Of(policy) : null);
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
