using Archiver.Core.Customers;
using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="ICustomerStore"/> must do: customers added once, read back with their credentials and tuning,
/// updated, moved between states, each change journaled and moving the customers version.
/// </summary>
public abstract class CustomerStoreContractTests(TestStores stores) : StoreContractTests(stores)
{
    [Fact]
    public async Task AddCustomer_ThenGet_ReturnsItWithCredentialsAndTuning()
    {
        var store = await NewStoreAsync();
        var tuning = new CustomerTuning(RatePerSecond: 2.5, Burst: 4, Parallelism: 3, PathTemplate: "{kind}/{yyyy}/{id}");
        var added = await store.AddCustomerAsync(
            new NewCustomer(Acme, "Acme Corp", new DropboxCredentials(new Secret("sl.access"), new Secret("refresh")), tuning), Ct);

        var read = await store.GetCustomerAsync(Acme, Ct);

        Assert.NotNull(read);
        Assert.Equal(added, read);
        Assert.Equal(CustomerState.Active, read.State);
        Assert.Equal("sl.access", read.Dropbox.AccessToken?.Reveal);
        Assert.Equal("refresh", read.Dropbox.RefreshToken?.Reveal);
        Assert.Equal(tuning, read.Tuning);
        Assert.Equal(Start, read.CreatedAt);
    }

    [Fact]
    public async Task AddCustomer_WithoutTuningOrRefreshToken_StoresDefaults()
    {
        var store = await NewStoreAsync();
        await store.AddCustomerAsync(new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.access"))), Ct);

        var read = await store.GetCustomerAsync(Acme, Ct);

        Assert.Equal(CustomerTuning.Default, read?.Tuning);
        Assert.Null(read?.Dropbox.RefreshToken);
    }

    [Fact]
    public async Task AddCustomer_WithTakenId_ThrowsDuplicateCustomer()
    {
        var store = await NewStoreAsync(Acme);

        var thrown = await Assert.ThrowsAsync<DuplicateCustomerException>(() => store.AddCustomerAsync(NewCustomer(Acme), Ct));

        Assert.Equal(Acme, thrown.Id);
        Assert.Single(await EventsAsync(store, EventTypes.CustomerAdded));
    }

    [Fact]
    public async Task AddCustomer_AppendsCustomerAddedEvent()
    {
        var store = await NewStoreAsync(Acme);

        var added = Assert.Single(await EventsAsync(store, EventTypes.CustomerAdded));

        Assert.Equal(Acme, added.Customer);
        Assert.Equal(Start, added.At);
    }

    [Fact]
    public async Task GetCustomer_Unknown_ReturnsNull()
    {
        var store = await NewStoreAsync(Acme);

        Assert.Null(await store.GetCustomerAsync(Globex, Ct));
    }

    [Fact]
    public async Task ListCustomers_ReturnsEveryCustomerById()
    {
        var store = await NewStoreAsync(Globex, Acme);

        var customers = await store.ListCustomersAsync(Ct);

        Assert.Equal([Acme, Globex], customers.Select(c => c.Id));
    }

    [Fact]
    public async Task SetCustomerState_ChangesStateAndJournalsWhy()
    {
        var store = await NewStoreAsync(Acme);

        Assert.True(await store.SetCustomerStateAsync(Acme, CustomerState.NeedsReauth, "token revoked", Ct));

        Assert.Equal(CustomerState.NeedsReauth, (await store.GetCustomerAsync(Acme, Ct))?.State);
        var changed = Assert.Single(await EventsAsync(store, EventTypes.CustomerStateChanged));
        Assert.Equal(Acme, changed.Customer);
        Assert.Equal("active -> needs_reauth: token revoked", changed.Details);
    }

    [Fact]
    public async Task SetCustomerState_EveryState_RoundTrips()
    {
        var store = await NewStoreAsync(Acme);

        foreach (var state in Enum.GetValues<CustomerState>())
        {
            await store.SetCustomerStateAsync(Acme, state, "test", Ct);
            Assert.Equal(state, (await store.GetCustomerAsync(Acme, Ct))?.State);
        }
    }

    [Fact]
    public async Task SetCustomerState_UnknownCustomer_ReturnsFalse()
    {
        var store = await NewStoreAsync(Acme);

        Assert.False(await store.SetCustomerStateAsync(Globex, CustomerState.Paused, "nobody", Ct));
        Assert.Empty(await EventsAsync(store, EventTypes.CustomerStateChanged));
    }

    [Fact]
    public async Task NewCustomer_HasNoStateReason()
    {
        var store = await NewStoreAsync(Acme);

        Assert.Null((await store.GetCustomerAsync(Acme, Ct))?.StateReason);
    }

    [Fact]
    public async Task SetCustomerState_RecordsTheReasonOnTheCustomer()
    {
        var store = await NewStoreAsync(Acme);
        await store.SetCustomerStateAsync(Acme, CustomerState.StorageFull, "Dropbox is full", Ct);

        var parked = await store.GetCustomerAsync(Acme, Ct);
        await store.SetCustomerStateAsync(Acme, CustomerState.Active, "space freed", Ct);

        Assert.Equal("Dropbox is full", parked?.StateReason);
        Assert.Equal("space freed", (await store.GetCustomerAsync(Acme, Ct))?.StateReason);
        Assert.Equal("space freed", Assert.Single(await store.ListCustomersAsync(Ct)).StateReason);
    }

    [Fact]
    public async Task UpdateCustomer_Name_ChangesOnlyTheName()
    {
        var store = await NewStoreAsync();
        var tuning = new CustomerTuning(RatePerSecond: 3, Burst: 2, Parallelism: 1, PathTemplate: "/{id}.{ext}", ConflictPolicy: ConflictPolicy.Autorename);
        var added = await store.AddCustomerAsync(NewCustomer(Acme) with { Tuning = tuning }, Ct);

        var updated = await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Name: "Acme Holdings"), Ct);

        Assert.Equal(added with { Name = "Acme Holdings" }, updated);
        Assert.Equal(updated, await store.GetCustomerAsync(Acme, Ct));
    }

    [Fact]
    public async Task UpdateCustomer_Dropbox_ReplacesBothTokensReadableAfterwards()
    {
        var store = await NewStoreAsync(Acme);

        var updated = await store.UpdateCustomerAsync(
            Acme, new CustomerUpdate(Dropbox: new DropboxCredentials(new Secret("sl.new-access"))), Ct);

        var read = await store.GetCustomerAsync(Acme, Ct);
        Assert.Equal(updated, read);
        Assert.Equal("sl.new-access", read?.Dropbox.AccessToken?.Reveal);
        Assert.Null(read?.Dropbox.RefreshToken);
        Assert.Equal("acme Ltd", read?.Name);
    }

    [Fact]
    public async Task UpdateCustomer_Tuning_ReplacesTheWholeTuning()
    {
        var store = await NewStoreAsync();
        await store.AddCustomerAsync(
            NewCustomer(Acme) with { Tuning = new CustomerTuning(RatePerSecond: 3, Burst: 2, Parallelism: 1, PathTemplate: "/{id}.{ext}") }, Ct);
        var replacement = new CustomerTuning(Parallelism: 8, ConflictPolicy: ConflictPolicy.Autorename);

        var updated = await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Tuning: replacement), Ct);

        Assert.Equal(replacement, updated?.Tuning);
        Assert.Equal(replacement, (await store.GetCustomerAsync(Acme, Ct))?.Tuning);
        Assert.Equal("access-acme", updated?.Dropbox.AccessToken?.Reveal);
    }

    [Fact]
    public async Task UpdateCustomer_EveryConflictPolicy_RoundTrips()
    {
        var store = await NewStoreAsync(Acme);

        foreach (var policy in Enum.GetValues<ConflictPolicy>())
        {
            await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Tuning: new CustomerTuning(ConflictPolicy: policy)), Ct);
            Assert.Equal(policy, (await store.GetCustomerAsync(Acme, Ct))?.Tuning.ConflictPolicy);
        }
    }

    [Fact]
    public async Task UpdateCustomer_KeepsStateAndCreationTime()
    {
        var store = await NewStoreAsync(Acme);
        await store.SetCustomerStateAsync(Acme, CustomerState.Paused, "holiday", Ct);
        Time.Advance(TimeSpan.FromHours(1));

        var updated = await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Name: "Acme"), Ct);

        Assert.Equal(CustomerState.Paused, updated?.State);
        Assert.Equal("holiday", updated?.StateReason);
        Assert.Equal(Start, updated?.CreatedAt);
    }

    [Fact]
    public async Task UpdateCustomer_Unknown_ReturnsNullAndJournalsNothing()
    {
        var store = await NewStoreAsync(Acme);

        Assert.Null(await store.UpdateCustomerAsync(Globex, new CustomerUpdate(Name: "Globex"), Ct));
        Assert.Null(await store.GetCustomerAsync(Globex, Ct));
        Assert.Empty(await EventsAsync(store, EventTypes.CustomerUpdated));
    }

    [Fact]
    public async Task UpdateCustomer_JournalsWhatChangedButNoSecrets()
    {
        var store = await NewStoreAsync(Acme);
        Time.Advance(TimeSpan.FromMinutes(1));

        await store.UpdateCustomerAsync(
            Acme, new CustomerUpdate(Dropbox: new DropboxCredentials(new Secret("sl.SECRET")), Tuning: new CustomerTuning(Burst: 1)), Ct);

        var updated = Assert.Single(await EventsAsync(store, EventTypes.CustomerUpdated));
        Assert.Equal(Acme, updated.Customer);
        Assert.Equal(Start.AddMinutes(1), updated.At);
        Assert.Contains("Dropbox credentials", updated.Details, StringComparison.Ordinal);
        Assert.Contains("tuning", updated.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", updated.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomersVersion_MovesWithEveryCustomerChange_AndOnlyThen()
    {
        var store = await NewStoreAsync();
        var seen = new List<long> { await store.GetCustomersVersionAsync(Ct) };
        async Task AssertMovedAsync(string change)
        {
            var version = await store.GetCustomersVersionAsync(Ct);
            Assert.False(seen.Contains(version), $"the version did not move after {change}");
            seen.Add(version);
        }

        await store.AddCustomerAsync(NewCustomer(Acme), Ct);
        await AssertMovedAsync("an add");
        await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Tuning: new CustomerTuning(RatePerSecond: 3)), Ct);
        await AssertMovedAsync("a tuning change");
        await store.UpdateCustomerAsync(Acme, new CustomerUpdate(Dropbox: new DropboxCredentials(new Secret("sl.rotated"))), Ct);
        await AssertMovedAsync("rotated credentials");
        await store.SetCustomerStateAsync(Acme, CustomerState.Paused, "holiday", Ct);
        await AssertMovedAsync("a state change");

        await EnqueueAsync(store, Acme, 3);
        var lease = await LeaseAsync(store, Acme);
        await store.ClaimAsync(lease, 0, 3, Ct);
        await store.RenewLeasesAsync([lease], LeaseDuration, Ct);
        Assert.Equal(seen[^1], await store.GetCustomersVersionAsync(Ct)); // items and leases are not customer changes
    }
}

/// <summary>The customer store contract against SQLite.</summary>
public sealed class SqliteCustomerStoreTests() : CustomerStoreContractTests(new SqliteTestStores());

/// <summary>The customer store contract against PostgreSQL.</summary>
public sealed class PostgresCustomerStoreTests() : CustomerStoreContractTests(new PostgresTestStores());
