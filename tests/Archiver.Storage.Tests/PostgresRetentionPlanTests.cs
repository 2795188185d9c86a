using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Archiver.Core.Customers;
using Archiver.Core.Retention;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Postgres;
using Archiver.Testing;
using Archiver.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Archiver.Storage.Tests;

/// <summary>
/// The statements the retention pruner runs on PostgreSQL read migration 9's partial indexes: archived items by their
/// last update, and the journal by time with the failure types apart from the rest. The statements are the ones the
/// store sends (caught from Npgsql's tracing while the pruner runs), not copies; each is planned with sequential scans
/// off, since on a test's small tables the planner would rightly prefer them.
/// </summary>
public sealed partial class PostgresRetentionPlanTests : IAsyncLifetime
{
    private static readonly CustomerId Acme = new("acme");

    private readonly ConcurrentQueue<(string? Database, string Sql)> _statements = new();
    private ActivityListener _listener = null!;
    private PostgresDatabase _database = null!;
    private PostgresArchiveStore _store = null!;

    private static CancellationToken Ct => CancellationToken.None;

    private string DatabaseName => new NpgsqlConnectionStringBuilder(_database.ConnectionString).Database!;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if ((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                {
                    _statements.Enqueue((activity.GetTagItem("db.namespace") as string ?? activity.GetTagItem("db.name") as string, sql));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _database = await PostgresDatabase.CreateAsync("plans");
        _store = new PostgresArchiveStore(
            new PostgresStoreOptions { ConnectionString = _database.ConnectionString },
            new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)),
            new WorkSignal(),
            new ManualTimeProvider(TimeProvider.System.GetUtcNow().AddDays(-200)));
        await _store.MigrateAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// <c>auto</c> is what a statement runs with at first; <c>force_generic_plan</c> is what a prepared one (the store
    /// auto-prepares what it repeats) may be switched to once run often, planned without its parameters' values.
    /// </summary>
    [Theory]
    [InlineData("auto")]
    [InlineData("force_generic_plan")]
    public async Task PrunerStatements_ReadTheRetentionIndexes_ArchivedItemsByUpdate_AndTheJournalByTimeFailuresApart(string planCacheMode)
    {
        var statements = await PrunerStatementsAsync();
        var items = Assert.Single(statements, s => s.Contains("DELETE FROM items", StringComparison.Ordinal));
        var events = statements.Where(s => s.Contains("DELETE FROM events", StringComparison.Ordinal)).ToArray();
        var ordinary = Assert.Single(events, s => s.Contains("NOT IN", StringComparison.Ordinal));
        var failures = Assert.Single(events, s => !s.Contains("NOT IN", StringComparison.Ordinal));
        var count = Assert.Single(statements, s => s.Contains("COUNT(*)", StringComparison.Ordinal));

        AssertReads(await ExplainAsync(items, planCacheMode), "items", ["ix_items_archived_updated"]);
        AssertReads(await ExplainAsync(ordinary, planCacheMode), "events", ["ix_events_others_at"]);
        AssertReads(await ExplainAsync(failures, planCacheMode), "events", ["ix_events_failures_at"]);
        var counted = await ExplainAsync(count, planCacheMode);
        AssertReads(counted, "items", ["ix_items_archived_updated"]);
        AssertReads(counted, "events", ["ix_events_others_at", "ix_events_failures_at"]);
    }

    /// <summary>
    /// Every statement the pruner sends to this test's database in a run and a dry run (over a little old history, so
    /// each delete has rows to find), as Npgsql traced it.
    /// </summary>
    private async Task<IReadOnlyList<string>> PrunerStatementsAsync()
    {
        await _store.AddCustomerAsync(new NewCustomer(Acme, "Acme", new DropboxCredentials(new Secret("sl.acme"))), Ct);
        await StoreHistory.ArchiveAsync(_store, Acme, "old", archived: 3, failed: 1);
        await _store.AppendEventsAsync([new NewEvent(EventTypes.RateLimited, Acme, "429")], Ct);
        var pruner = new RetentionPruner(_store, new RetentionOptions(), TimeProvider.System, NullLogger.Instance);
        _statements.Clear();

        await pruner.DryRunAsync(Ct);
        var run = await pruner.RunAsync(Ct);

        Assert.Null(run.Error);
        Assert.Equal(3, run.Removed.ArchivedItems);
        Assert.True(run.Removed.Events > 0 && run.Removed.FailureEvents > 0, $"{run.Removed}");
        return [.. _statements.Where(s => s.Database == DatabaseName).Select(s => s.Sql).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The JSON plan of <paramref name="sql"/> with sequential scans off, as a prepared statement (as the store's are)
    /// under <paramref name="planCacheMode"/>: its parameters become <c>$1</c>, <c>$2</c>, … as Npgsql sends them, and are
    /// given as the pruner gives them (a cutoff in unix milliseconds, a batch size).
    /// </summary>
    private async Task<JsonElement> ExplainAsync(string sql, string planCacheMode)
    {
        var names = Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        var prepared = Parameter().Replace(sql, m => "$" + (names.IndexOf(m.Value) + 1).ToString(CultureInfo.InvariantCulture));
        var cutoff = TimeProvider.System.GetUtcNow().AddDays(-30).ToUnixTimeMilliseconds();
        var values = names.Select(name => (name == "@max" ? 1000 : cutoff).ToString(CultureInfo.InvariantCulture));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using (var setUp = new NpgsqlCommand($"SET enable_seqscan = off; SET plan_cache_mode = {planCacheMode}; PREPARE pruning AS {prepared}", connection))
        {
            await setUp.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) EXECUTE pruning({string.Join(", ", values)})", connection);
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(Ct))!);
        return plan.RootElement[0].GetProperty("Plan").Clone();
    }

    /// <summary>
    /// The plan reads <paramref name="table"/> through each of <paramref name="indexes"/> and never scans it from end to
    /// end; the table's primary key may be read besides (a delete finds its batch's rows by it).
    /// </summary>
    private static void AssertReads(JsonElement plan, string table, string[] indexes)
    {
        var scans = Scans(plan).Where(s => s.Relation == table).ToArray();
        var shown = string.Join("; ", scans.Select(s => $"{s.Type} {s.Index}"));
        Assert.DoesNotContain(scans, s => s.Type == "Seq Scan");
        foreach (var index in indexes)
        {
            Assert.True(scans.Any(s => s.Index == index), $"{table} is read through {index}; the plan reads it by: {shown}\n{plan}");
        }

        Assert.All(scans, s => Assert.True(s.Index is null || indexes.Contains(s.Index) || s.Index == $"{table}_pkey", $"{table} is read only through {string.Join(", ", indexes)} or its key: {shown}"));
    }

    /// <summary>Every node of the plan that reads a relation: (node type, relation, index).</summary>
    private static IEnumerable<(string Type, string? Relation, string? Index)> Scans(JsonElement node)
    {
        var type = node.GetProperty("Node Type").GetString()!;
        var relation = node.TryGetProperty("Relation Name", out var r) ? r.GetString() : null;
        var index = node.TryGetProperty("Index Name", out var i) ? i.GetString() : null;
        if (relation is not null || index is not null)
        {
            yield return (type, relation ?? TableOf(index!), index);
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                foreach (var scan in Scans(child))
                {
                    yield return scan;
                }
            }
        }
    }

    /// <summary>A bitmap index scan names its index only; the schema's index names say their table.</summary>
    private static string TableOf(string index) =>
        index.StartsWith("ix_items_", StringComparison.Ordinal) || index == "items_pkey" ? "items"
        : index.StartsWith("ix_events_", StringComparison.Ordinal) || index == "events_pkey" ? "events"
        : index;

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
