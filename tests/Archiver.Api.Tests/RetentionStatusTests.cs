using System.Security.Cryptography;
using System.Text.Json;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.Api.Tests;

/// <summary><c>GET /api/v1/status</c> shows the node's last retention run under <c>retention</c>, and null until one ran.</summary>
public sealed class RetentionStatusTests
{
    private static readonly CustomerId Acme = new("acme");

    [Fact]
    public async Task Status_BeforeAnyRetentionRun_ShowsRetentionAsNull()
    {
        await using var node = await ApiNode.StartAsync(); // the default interval: the first run is an hour away

        var status = await node.GetJsonAsync("/api/v1/status");

        Assert.True(status.TryGetProperty("retention", out var retention), status.ToString());
        Assert.Equal(JsonValueKind.Null, retention.ValueKind);
    }

    [Fact]
    public async Task Status_AfterARetentionRun_ShowsWhenItRanWhatItRemovedAndItsInterval()
    {
        var data = Directory.CreateTempSubdirectory("archiver-retention-").FullName;
        try
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var database = Path.Combine(data, "archiver.db");
            var old = await WriteOldHistoryAsync(database, key);
            var startedBefore = TimeProvider.System.GetUtcNow();
            await using var node = await ApiNode.StartAsync(
                new Dictionary<string, string?>
                {
                    ["archiver:storage:sqlitepath"] = database,
                    ["archiver:security:tokenkey"] = key,
                    ["archiver:retention:interval"] = "00:00:00.200",
                },
                wrapStore: store => new FirstRetentionRunOnly(store)); // later runs would show nothing left to remove

            var retention = default(JsonElement);
            await Eventually.TrueAsync(
                async () => (retention = (await node.GetJsonAsync("/api/v1/status")).GetProperty("retention")).ValueKind == JsonValueKind.Object,
                "the status shows the node's first retention run");

            Assert.Equal(
                (old.ArchivedItems, old.Events, old.FailureEvents),
                (retention.GetProperty("archivedItems").GetInt64(), retention.GetProperty("events").GetInt64(), retention.GetProperty("failureEvents").GetInt64()));
            Assert.Equal(JsonValueKind.Null, retention.GetProperty("error").ValueKind);
            Assert.InRange(retention.GetProperty("startedAt").GetDateTimeOffset(), startedBefore, TimeProvider.System.GetUtcNow());
            Assert.True(retention.GetProperty("durationSeconds").GetDouble() >= 0);
            Assert.Equal(0.2, retention.GetProperty("intervalSeconds").GetDouble());

            // What the status counts is what went: the old archived items and the old journal, not the failed items.
            var store = node.App.Services.GetRequiredService<IArchiveStore>();
            var left = await store.ListItemsAsync(new ItemQuery(Acme, Limit: 100), CancellationToken.None);
            Assert.All(left, item => Assert.Equal(ItemStatus.Failed, item.Status));
            Assert.Equal(old.FailedItems, left.Count);
            var journal = await store.ReadEventsAsync(new EventQuery(Limit: 10_000), CancellationToken.None);
            Assert.DoesNotContain(journal, e => e.At <= old.At);

            // A node stopped while its sharding is still placing acme waits out the whole drain phase (40 s) before it
            // stops: let it take acme up first.
            await Eventually.TrueAsync(
                async () => (await node.GetJsonAsync("/api/v1/customers/acme")).GetProperty("servedBy").GetString() == "api-test-node",
                "the node serves acme");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Writes, through a store on <paramref name="database"/> whose clock says 200 days ago (past every default cutoff:
    /// 90 days for archived items, 30 and 180 for the journal), archived and failed items of acme and journal entries
    /// of both kinds; returns what retention is to remove of it.
    /// </summary>
    private static async Task<OldHistory> WriteOldHistoryAsync(string database, string key)
    {
        var at = TimeProvider.System.GetUtcNow().AddDays(-200);
        await using var past = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = database }, AesGcmTokenProtector.FromBase64(key), new WorkSignal(), new ManualTimeProvider(at));
        await past.MigrateAsync(CancellationToken.None);
        await past.AddCustomerAsync(new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.acme"))), CancellationToken.None);
        var archived = await StoreHistory.ArchiveAsync(past, Acme, "old", archived: 5, failed: 2);
        await past.AppendEventsAsync(
            [new NewEvent(EventTypes.RateLimited, Acme, "429"), new NewEvent(EventTypes.CustomerStateChanged, Acme, "active -> paused: by an operator")],
            CancellationToken.None);
        var journal = await past.ReadEventsAsync(new EventQuery(Limit: 10_000), CancellationToken.None);
        var failures = journal.Count(e => EventTypes.Failures.Contains(e.Type));
        Assert.True(failures > 0 && journal.Count > failures, "old entries of both kinds");
        return new OldHistory(at, archived.Count, journal.Count - failures, failures, FailedItems: 2);
    }

    private sealed record OldHistory(DateTimeOffset At, long ArchivedItems, long Events, long FailureEvents, int FailedItems);
}
