using Archiver.Core.Storage;

namespace Archiver.Storage.Tests;

/// <summary>
/// What every <see cref="IAlertCursorStore"/> must do: remember how far each webhook delivered, only ever forward, and
/// say where the journal ends.
/// </summary>
public abstract class AlertCursorStoreContractTests(TestStores stores) : StoreContractTests(stores)
{
    [Fact]
    public async Task NewWebhook_HasNoCursor_AndAnEmptyJournalEndsAtZero()
    {
        var store = await NewStoreAsync();

        Assert.Null(await store.GetAlertCursorAsync("https://hooks.example/a", Ct));
        Assert.Equal(0, await store.GetLastEventSequenceAsync(Ct));
    }

    [Fact]
    public async Task Cursor_IsKeptPerWebhook_AndOnlyMovesForward()
    {
        var store = await NewStoreAsync();

        await store.SaveAlertCursorAsync("https://hooks.example/a", 7, Ct);
        await store.SaveAlertCursorAsync("https://hooks.example/b", 3, Ct);
        await store.SaveAlertCursorAsync("https://hooks.example/a", 12, Ct);
        await store.SaveAlertCursorAsync("https://hooks.example/a", 9, Ct); // a late writer never moves it back

        Assert.Equal(12, await store.GetAlertCursorAsync("https://hooks.example/a", Ct));
        Assert.Equal(3, await store.GetAlertCursorAsync("https://hooks.example/b", Ct));
    }

    [Fact]
    public async Task LastEventSequence_IsTheNewestJournalEntry()
    {
        var store = await NewStoreAsync(Acme);
        await store.AppendEventsAsync([new NewEvent(EventTypes.PipelineStarted, Acme, "started")], Ct);

        var events = await store.ReadEventsAsync(new EventQuery(Limit: 1000), Ct);

        Assert.Equal(events[^1].Sequence, await store.GetLastEventSequenceAsync(Ct));
    }
}

/// <summary>The alert cursor contract against SQLite.</summary>
public sealed class SqliteAlertCursorStoreTests() : AlertCursorStoreContractTests(new SqliteTestStores());

/// <summary>The alert cursor contract against PostgreSQL.</summary>
public sealed class PostgresAlertCursorStoreTests() : AlertCursorStoreContractTests(new PostgresTestStores());
