using System.Security.Cryptography;
using System.Text.Json;
using Archiver.Core.Alerts;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Sqlite;
using Archiver.Testing;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// The real <c>archiver</c> executable's <c>db prune</c> against a database with old history in it, and its
/// <c>alerts test</c> against a webhook receiver on 127.0.0.1; no node runs.
/// </summary>
public sealed class RetentionAndAlertsCliTests : IDisposable
{
    private const string WebhookSecret = "whsec-e2e-secret";
    private static readonly CustomerId Acme = new("acme");

    private readonly string _work = Directory.CreateTempSubdirectory("archiver-e2e-").FullName;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private string Database => Path.Combine(_work, "state", "archiver.db");

    [Fact]
    public async Task DbPrune_DryRunCountsWhatIsPastItsRetentionRemovingNothing_ThenPruneRemovesExactlyThat()
    {
        var config = await WriteConfigAsync("");
        var now = TimeProvider.System.GetUtcNow();
        var archived = await WriteHistoryAsync(now);
        var (itemsBefore, journalBefore) = await ReadAllAsync();
        // The defaults: archived items 90 days, journal 30 days, failure entries 180 days; the history is at 200, 100
        // and 1 day(s) ago, far from every cutoff.
        var prunableItems = archived.Where(i => i.At < now.AddDays(-90)).Select(i => i.Id).ToHashSet();
        bool Prunable(ArchiveEvent e) => e.At < now.AddDays(EventTypes.Failures.Contains(e.Type) ? -180 : -30);
        var expected = (Items: (long)prunableItems.Count, Events: (long)journalBefore.Count(e => Prunable(e) && !EventTypes.Failures.Contains(e.Type)),
            Failures: (long)journalBefore.Count(e => Prunable(e) && EventTypes.Failures.Contains(e.Type)));
        Assert.True(expected.Items > 0 && expected.Events > 0 && expected.Failures > 0, "old history of every kind");
        Assert.Contains(journalBefore, e => EventTypes.Failures.Contains(e.Type) && !Prunable(e) && e.At < now.AddDays(-30)); // kept longer

        var shown = await ArchiverProcess.RunAsync(_work, "db", "prune", "--dry-run", "--config", config);
        var dryRun = await ArchiverProcess.RunAsync(_work, "db", "prune", "--dry-run", "--json", "--config", config);

        Assert.True(shown.ExitCode == 0, shown.Output + shown.Error);
        Assert.Contains($"Would remove {expected.Items} archived item(s) last updated before", shown.Output, StringComparison.Ordinal);
        Assert.Contains($"Would remove {expected.Events} event(s) recorded before", shown.Output, StringComparison.Ordinal);
        Assert.Contains($"Would remove {expected.Failures} failure event(s) recorded before", shown.Output, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 0, dryRun.Output + dryRun.Error);
        var counted = JsonDocument.Parse(dryRun.Output).RootElement;
        Assert.True(counted.GetProperty("dryRun").GetBoolean());
        Assert.Equal(expected, Counts(counted));
        Assert.InRange(counted.GetProperty("archivedItemsBefore").GetDateTimeOffset(), now.AddDays(-90), now.AddDays(-90).AddMinutes(10));
        var (itemsAfterDryRun, journalAfterDryRun) = await ReadAllAsync();
        Assert.Equal(itemsBefore.Select(i => (i.Item.Id, i.Status)), itemsAfterDryRun.Select(i => (i.Item.Id, i.Status)));
        Assert.Equal(journalBefore.Select(e => e.Sequence), journalAfterDryRun.Select(e => e.Sequence));

        var pruned = await ArchiverProcess.RunAsync(_work, "db", "prune", "--json", "--config", config);

        Assert.True(pruned.ExitCode == 0, pruned.Output + pruned.Error);
        var removed = JsonDocument.Parse(pruned.Output).RootElement;
        Assert.False(removed.GetProperty("dryRun").GetBoolean());
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("error").ValueKind);
        Assert.Equal(expected, Counts(removed));
        var (itemsAfter, journalAfter) = await ReadAllAsync();
        Assert.Equal(itemsBefore.Where(i => !prunableItems.Contains(i.Item.Id)).Select(i => i.Item.Id), itemsAfter.Select(i => i.Item.Id));
        Assert.Contains(itemsAfter, i => i.Status == ItemStatus.Failed && i.UpdatedAt < now.AddDays(-90)); // failed items are never removed
        var kept = journalBefore.Where(e => !Prunable(e)).Select(e => e.Sequence).ToArray();
        Assert.Equal(kept, journalAfter.Where(e => e.Type != EventTypes.RetentionPruned).Select(e => e.Sequence));
        var journaled = Assert.Single(journalAfter, e => e.Type == EventTypes.RetentionPruned);
        Assert.StartsWith($"removed {expected.Items} archived item(s), {expected.Events} event(s), {expected.Failures} failure event(s)", journaled.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertsTest_SendsEachWebhookASignedSample_ShowingItsUrlMasked_AndFailsWhenTheReceiverRefuses()
    {
        using var receiver = new WebhookReceiver();
        var url = new UriBuilder(receiver.Url) { UserName = "hook-user", Password = "hook-pass" }.Uri;
        var config = await WriteConfigAsync($$"""
            archiver.alerts {
              webhooks = [{ url = "{{url}}", events = [customer.parked], secret = "{{WebhookSecret}}" }]
              allowed-hosts = ["127.0.0.1"]
            }
            """);
        var masked = $"http://***@127.0.0.1:{receiver.Url.Port}/hooks/archiver/";

        var sent = await ArchiverProcess.RunAsync(_work, "alerts", "test", "--config", config);

        Assert.True(sent.ExitCode == 0, sent.Output + sent.Error);
        Assert.Matches($@"delivered\S*\s+{System.Text.RegularExpressions.Regex.Escape(masked)}: HTTP 200", sent.Output); // the word may come in colour
        Assert.DoesNotContain("hook-pass", sent.Output + sent.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, sent.Output + sent.Error, StringComparison.Ordinal);
        var (signature, body) = Assert.Single(receiver.Accepted);
        Assert.True(WebhookSignature.Verify(signature, WebhookSecret, body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)), $"signed with the webhook's secret: {signature}");
        Assert.False(WebhookSignature.Verify(signature, "another-secret", body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
        var sample = JsonDocument.Parse(body).RootElement;
        Assert.Equal(AlertKinds.Test, sample.GetProperty("kind").GetString());
        Assert.StartsWith("test-", sample.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("customer").ValueKind);

        receiver.AnswerNext(503);
        var refused = await ArchiverProcess.RunAsync(_work, "alerts", "test", "--json", "--config", config);

        Assert.True(refused.ExitCode == 1, refused.Output + refused.Error);
        var outcome = Assert.Single(JsonDocument.Parse(refused.Output).RootElement.EnumerateArray());
        Assert.Equal(masked, outcome.GetProperty("webhook").GetString());
        Assert.False(outcome.GetProperty("delivered").GetBoolean());
        Assert.Equal(503, outcome.GetProperty("status").GetInt32());
        Assert.Equal(2, receiver.Requests.Count);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static (long, long, long) Counts(JsonElement json) =>
        (json.GetProperty("archivedItems").GetInt64(), json.GetProperty("events").GetInt64(), json.GetProperty("failureEvents").GetInt64());

    /// <summary>A configuration file with the store under <c>state/</c> and <paramref name="extra"/> HOCON.</summary>
    private async Task<string> WriteConfigAsync(string extra)
    {
        var config = Path.Combine(_work, "archiver.conf");
        await File.WriteAllTextAsync(config, $$"""
            archiver {
              storage.sqlite-path = "{{Database}}"
              security { token-key = "{{_key}}", token-key-file = "{{Path.Combine(_work, "state", "token.key")}}" }
            }
            {{extra}}
            """);
        return config;
    }

    /// <summary>
    /// Acme's history as a pipeline left it, written through a store whose clock is moved along: 200 days before
    /// <paramref name="now"/> archived items, a failed one and journal entries of both kinds; 100 days before, more of
    /// each (the failure entries still within their 180 days); a day before, recent ones. Returns the archived items
    /// with when they were archived.
    /// </summary>
    private async Task<IReadOnlyList<(long Id, DateTimeOffset At)>> WriteHistoryAsync(DateTimeOffset now)
    {
        var time = new ManualTimeProvider(now.AddDays(-200));
        await using var store = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Database }, AesGcmTokenProtector.FromBase64(_key), new WorkSignal(), time);
        await store.MigrateAsync(CancellationToken.None);
        await store.AddCustomerAsync(new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.acme"))), CancellationToken.None);
        var archived = new List<(long, DateTimeOffset)>();
        foreach (var (daysAgo, count, failed) in new[] { (200, 4, 1), (100, 3, 0), (1, 2, 1) })
        {
            time.Advance(now.AddDays(-daysAgo) - time.GetUtcNow());
            archived.AddRange((await StoreHistory.ArchiveAsync(store, Acme, $"day-{daysAgo}", count, failed)).Select(id => (id, time.GetUtcNow())));
            await store.AppendEventsAsync(
                [
                    new NewEvent(EventTypes.RateLimited, Acme, $"429, {daysAgo} days ago"),
                    new NewEvent(EventTypes.CustomerStateChanged, Acme, $"active -> paused: {daysAgo} days ago"),
                ],
                CancellationToken.None);
        }

        return archived;
    }

    /// <summary>Every item and journal entry in the database, read through a store of the test's own.</summary>
    private async Task<(IReadOnlyList<StoredItem> Items, IReadOnlyList<ArchiveEvent> Journal)> ReadAllAsync()
    {
        await using var store = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Database }, AesGcmTokenProtector.FromBase64(_key), new WorkSignal(), TimeProvider.System);
        return (await store.ListItemsAsync(new ItemQuery(Acme, Limit: 1000), CancellationToken.None),
            await store.ReadEventsAsync(new EventQuery(Limit: 10_000), CancellationToken.None));
    }
}
