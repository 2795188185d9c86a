using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="IEventJournal"/> must do: events stamped by the store, read back oldest first, filtered and paged.
/// </summary>
public abstract class EventJournalContractTests(TestStores stores) : StoreContractTests(stores)
{
    [Fact]
    public async Task Events_AreStampedWithTheStoresTimeAndIncreasingSequence()
    {
        var store = await NewStoreAsync();
        Time.Advance(TimeSpan.FromMinutes(7));

        await store.AppendEventsAsync(
            [new NewEvent(EventTypes.PipelineStarted, Acme, "started"), new NewEvent(EventTypes.PipelineStopped, Acme, "stopped", ItemId: 42)],
            Ct);

        var events = await store.ReadEventsAsync(new EventQuery(), Ct);
        Assert.Equal([EventTypes.PipelineStarted, EventTypes.PipelineStopped], events.Select(e => e.Type));
        Assert.True(events[0].Sequence < events[1].Sequence);
        Assert.All(events, e => Assert.Equal(Start.AddMinutes(7), e.At));
        Assert.Equal(new ArchiveEvent(events[1].Sequence, Start.AddMinutes(7), Acme, 42, EventTypes.PipelineStopped, "stopped"), events[1]);
    }

    [Fact]
    public async Task Events_WithoutCustomer_AreKept()
    {
        var store = await NewStoreAsync();

        await store.AppendEventsAsync([new NewEvent(EventTypes.PipelineStarted, null, "node up")], Ct);

        Assert.Null(Assert.Single(await store.ReadEventsAsync(new EventQuery(), Ct)).Customer);
    }

    [Fact]
    public async Task Events_ReadAfterSequence_FiltersByCustomer()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync(
            [
                new NewEvent(EventTypes.PipelineStarted, Acme, "acme 1"),
                new NewEvent(EventTypes.PipelineStarted, Globex, "globex 1"),
                new NewEvent(EventTypes.PipelineStarted, Acme, "acme 2"),
                new NewEvent(EventTypes.PipelineStarted, Acme, "acme 3"),
            ],
            Ct);
        var first = (await store.ReadEventsAsync(new EventQuery(Customer: Acme, Limit: 1), Ct))[0];

        var rest = await store.ReadEventsAsync(new EventQuery(first.Sequence, Customer: Acme), Ct);

        Assert.Equal("acme 1", first.Details);
        Assert.Equal(["acme 2", "acme 3"], rest.Select(e => e.Details));
    }

    [Fact]
    public async Task Events_FilterByType()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync(
            [
                new NewEvent(EventTypes.PipelineStarted, Acme, "up"),
                new NewEvent(EventTypes.RateLimited, Acme, "slow down"),
                new NewEvent(EventTypes.PipelineStopped, Acme, "down"),
            ],
            Ct);

        var rateLimited = await store.ReadEventsAsync(new EventQuery(Type: EventTypes.RateLimited), Ct);

        Assert.Equal(["slow down"], rateLimited.Select(e => e.Details));
    }

    [Fact]
    public async Task Events_ReadStopsAtTheLimit_OldestFirst()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync(
            Enumerable.Range(0, 10).Select(i => new NewEvent(EventTypes.RateLimited, Acme, $"event {i}")).ToList(),
            Ct);

        var page = await store.ReadEventsAsync(new EventQuery(Limit: 4), Ct);

        Assert.Equal(["event 0", "event 1", "event 2", "event 3"], page.Select(e => e.Details));
    }
}

/// <summary>The event journal contract against SQLite.</summary>
public sealed class SqliteEventJournalTests() : EventJournalContractTests(new SqliteTestStores());

/// <summary>The event journal contract against PostgreSQL.</summary>
public sealed class PostgresEventJournalTests() : EventJournalContractTests(new PostgresTestStores());
