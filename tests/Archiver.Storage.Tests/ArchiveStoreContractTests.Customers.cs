using Archiver.Customers;

namespace Archiver.Storage.Tests;

public abstract partial class ArchiveStoreContractTests
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
}
