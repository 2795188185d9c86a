using System.Diagnostics;
using System.Globalization;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Storage.Postgres;
using Archiver.Testing.Postgres;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- failover: a node SIGKILLed, its customers served again elsewhere ----

    /// <summary>
    /// Three real <c>archiver run</c> processes on one PostgreSQL, every customer busy; one node is SIGKILLed, and for
    /// each customer it held, the time from the kill until another node archived that customer's next item. The lease
    /// duration is the default 30 s, so a failover well under that shows the cluster moved the customers (the failure
    /// detector noticed, the split brain resolver downed the node, the survivors took its leases over), not expiry.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> FailoverAsync(CancellationToken cancellationToken)
    {
        const string scenario = "failover";
        const int customers = 30;
        const int nodeCount = 3;
        const double rate = 2; // items/s per customer: slow enough that every customer still has work when the kill lands
        var perCustomer = quick ? 40 : 80;
        var beforeKill = TimeSpan.FromSeconds(quick ? 5 : 10);
        var afterKillCap = TimeSpan.FromSeconds(quick ? 60 : 120);
        Console.WriteLine($"[{scenario}] {nodeCount} `archiver run` processes on one PostgreSQL, {customers} customers x {perCustomer} items at {rate} items/s each, " +
            $"lease duration 30 s (the default); the node holding the most customers is SIGKILLed {beforeKill.TotalSeconds:0} s into the work");

        var work = Directory.CreateTempSubdirectory("archiver-bench-failover-").FullName;
        try
        {
            await using var database = await PostgresDatabase.CreateAsync("failover", cancellationToken);
            await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
            await using var store = new PostgresArchiveStore(
                new PostgresStoreOptions { ConnectionString = database.ConnectionString }, new AesGcmTokenProtector(BenchHost.TokenKey), new WorkSignal(), TimeProvider.System);
            await store.MigrateAsync(cancellationToken);
            var names = Enumerable.Range(0, customers).Select(c => $"c{c:D3}").ToList();
            var content = Directory.CreateDirectory(Path.Combine(work, "content")).FullName;
            var items = new List<NewItem>();
            foreach (var name in names)
            {
                emulator.AddAccount(name, BenchHost.TokenOf(name), AccountLimits.Unlimited); // the node's own throttle is what makes the work slow
                await store.AddCustomerAsync(new NewCustomer(new CustomerId(name), name, new DropboxCredentials(new Secret(BenchHost.TokenOf(name)))), cancellationToken);
                items.AddRange(await WriteSmsFilesAsync(Path.Combine(content, name), name, perCustomer, cancellationToken));
            }

            var processes = new List<NodeProcess>();
            try
            {
                var started = Stopwatch.StartNew();
                for (var i = 1; i <= nodeCount; i++)
                {
                    var nodeId = $"node-{i}";
                    processes.Add(await NodeProcess.StartAsync(
                        nodeId, Path.Combine(work, nodeId), NodeConfiguration(nodeId, database.ConnectionString, emulator.BaseUri, content, rate), cancellationToken));
                }

                var spread = await WaitForLeasesAsync(store, customers, nodeCount, TimeSpan.FromSeconds(90), cancellationToken);
                if (spread is null)
                {
                    throw new TimeoutException($"the three nodes did not share the customers' leases within 90 s:\n{string.Join("\n", processes.Select(p => $"--- {p.Name}:\n{p.OutputTail}"))}");
                }

                Console.WriteLine($"[{scenario}] nodes up and sharing the customers {started.Elapsed.TotalSeconds:0.0} s after the first started ({Owners(spread)}); enqueueing {items.Count} items");
                await store.EnqueueAsync(items, cancellationToken);
                await Task.Delay(beforeKill, cancellationToken);

                // The victim: whoever holds the most customers now; its leases, listed just before the kill, say whose.
                var leases = await store.ListLeasesAsync(cancellationToken);
                var victimId = leases.GroupBy(l => l.NodeId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
                var victim = processes.Single(p => p.Name == victimId);
                var held = leases.Where(l => l.NodeId == victimId).Select(l => l.Customer).ToList();
                victim.Kill(); // SIGKILL: no drain, no release, no goodbye
                var killedAt = DateTimeOffset.UtcNow;
                await victim.WaitForExitAsync(cancellationToken);
                var atKill = await store.GetProgressAsync(null, cancellationToken);
                var heldBacklog = atKill.Where(p => held.Contains(p.Customer)).Select(p => p.Backlog).DefaultIfEmpty(0).Min();
                Console.WriteLine($"[{scenario}] SIGKILLed {victimId} holding {held.Count} customers ({atKill.Sum(p => p.Archived)} of {items.Count} items archived; each of its customers had at least {heldBacklog} items to go)");

                // Until every item is archived (or failed) or the cap passes.
                var total = (long)items.Count;
                var sinceKill = Stopwatch.StartNew();
                IReadOnlyList<CustomerProgress> progress;
                while (true)
                {
                    progress = await store.GetProgressAsync(null, cancellationToken);
                    if (progress.Sum(p => p.Archived + p.Failed) >= total && progress.All(p => p.Backlog == 0) || sinceKill.Elapsed > afterKillCap)
                    {
                        break;
                    }

                    await Task.Delay(250, cancellationToken);
                }

                var waitedAfterKill = sinceKill.Elapsed;
                var drained = progress.Sum(p => p.Archived + p.Failed) >= total && progress.All(p => p.Backlog == 0);

                // Per customer the victim held: its lease taken by another node (journal), then its first item archived after that (store).
                var failovers = new List<double>();
                var takeovers = new List<double>();
                var notResumed = new List<string>();
                foreach (var customer in held)
                {
                    var acquired = await store.ReadEventsAsync(new EventQuery(Limit: 1000, Customer: customer, Type: EventTypes.LeaseAcquired), cancellationToken);
                    var takeover = acquired.FirstOrDefault(e => e.At >= killedAt && !e.Details.StartsWith(victimId + " ", StringComparison.Ordinal));
                    var archivedAfter = takeover is null ? (DateTimeOffset?)null
                        : (await ArchivedTimesAsync(store, customer.Value, cancellationToken)).Where(t => t >= takeover.At).Select(t => (DateTimeOffset?)t).FirstOrDefault();
                    if (takeover is null || archivedAfter is null)
                    {
                        notResumed.Add(customer.Value);
                        continue;
                    }

                    takeovers.Add((takeover.At - killedAt).TotalSeconds);
                    failovers.Add((archivedAfter.Value - killedAt).TotalSeconds);
                }

                failovers.Sort();
                takeovers.Sort();

                // Every item in Dropbox exactly once, with the content the store recorded as archived.
                long lost = 0, twice = 0, resent = 0;
                foreach (var name in names)
                {
                    var files = emulator.Files(name);
                    var stats = emulator.Stats(name);
                    var archived = await store.ListItemsAsync(new ItemQuery(new CustomerId(name), ItemStatus.Archived, Limit: 1000), cancellationToken);
                    var inDropbox = files.Select(f => (f.PathDisplay.ToLowerInvariant(), f.ContentHash)).ToHashSet();
                    var matched = archived.Select(i => (i.Archived!.Path.ToLowerInvariant(), i.Archived.ContentHash)).Distinct().Count(inDropbox.Contains);
                    lost += perCustomer - matched;
                    twice += Math.Max(0, files.Count - perCustomer) + Math.Max(0, stats.Writes - files.Count);
                    resent += stats.UnchangedUploads;
                }

                var worst = notResumed.Count > 0 ? waitedAfterKill.TotalSeconds : failovers.Count == 0 ? double.NaN : failovers[^1];
                var note = $"{victimId} (of {Owners(leases)}) SIGKILLed {beforeKill.TotalSeconds:0} s after {items.Count} items were enqueued; for each of the {held.Count} customers it held " +
                    "(its leases as listed just before the kill), failover = time from the kill until that customer's first item archived after another node journaled " +
                    $"`{EventTypes.LeaseAcquired}` for it (the archived item's updated_at in the store; the successor's fencing token keeps any late write of the dead node out). " +
                    $"Lease taken over after {Describe(Percentile(takeovers, 0.5))} s median, {Describe(takeovers.Count == 0 ? double.NaN : takeovers[^1])} s max; " +
                    $"lease duration 30 s, failure detection and split brain resolver as the shipped archiver.conf; the survivors each archive at {rate}/s per customer, so the next item follows within ~{1 / rate:0.0} s" +
                    (notResumed.Count > 0 ? $"; NOT resumed within {waitedAfterKill.TotalSeconds:0} s of the kill: {string.Join(", ", notResumed)} (the max is a lower bound)" : "");
                var check = $"{(drained ? "all" : "NOT all")} {total} items done {waitedAfterKill.TotalSeconds:0.0} s after the kill ({progress.Sum(p => p.Failed)} failed); " +
                    $"{lost} lost (not archived, or archived without its file in Dropbox), {twice} archived twice (files beyond one per item, or extra revisions); " +
                    $"{resent} uploads re-sent identical content (items the dead node had uploaded but not checkpointed: no new file)";
                Console.WriteLine($"[{scenario}] failover max {Describe(worst)} s, median {Describe(Percentile(failovers, 0.5))} s; {check}");
                return
                [
                    new(scenario, "failover time, max", worst, "s", Goal.AtMost(10, "s"), Note: note),
                    new(scenario, "failover time, median", Percentile(failovers, 0.5), "s", null),
                    new(scenario, "items lost / archived twice", lost + twice, "", Goal.AtMost(0, ""), Note: check),
                ];
            }
            finally
            {
                // However the scenario ends (done, failed, timed out, Ctrl+C): no node outlives it.
                foreach (var process in processes)
                {
                    await process.DisposeAsync();
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless.
            }
        }
    }

    /// <summary>A node's settings: the shared database and token key, the emulator, content under <paramref name="content"/>, every other setting its default.</summary>
    private static string NodeConfiguration(string nodeId, string connectionString, Uri emulator, string content, double rate) => $$"""
        archiver {
          storage { provider = postgres, postgres.connection-string = "{{connectionString}}" }
          security { token-key = "{{Convert.ToBase64String(BenchHost.TokenKey)}}", token-key-file = "state/token.key" }
          content.roots = ["{{content}}"]
          dropbox { api-base-uri = "{{emulator}}", content-base-uri = "{{emulator}}" }
          node.node-id = {{nodeId}}
          api.port = 0
          pipeline { rate-per-second = {{rate.ToString(CultureInfo.InvariantCulture)}}, burst = 1 }
        }
        akka.loglevel = WARNING
        """;

    /// <summary>One small SMS file per item under <paramref name="directory"/> (a content root the nodes read), enqueued as a file: item.</summary>
    private static async Task<List<NewItem>> WriteSmsFilesAsync(string directory, string customer, int count, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var items = new List<NewItem>();
        for (var i = 0; i < count; i++)
        {
            var file = Path.Combine(directory, $"{i}.txt");
            await File.WriteAllTextAsync(file, $"SMS {i} of {customer}", cancellationToken);
            items.Add(new NewItem(new CustomerId(customer), $"sms-{i}", ItemKind.Sms, new Uri(file), new ItemMetadata(Start.AddMinutes(i), "+15551000", "+15552000")));
        }

        return items;
    }

    /// <summary>
    /// Waits until the customers' leases are all held, spread over <paramref name="nodes"/> nodes, and the same on two
    /// looks a second apart (the nodes have stopped handing customers to each other). Null when the cap passed first.
    /// </summary>
    private static async Task<IReadOnlyList<Lease>?> WaitForLeasesAsync(IArchiveStore store, int customers, int nodes, TimeSpan cap, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        string? previous = null;
        while (waited.Elapsed < cap)
        {
            var leases = await store.ListLeasesAsync(cancellationToken);
            var shape = string.Join(',', leases.OrderBy(l => l.Customer.Value, StringComparer.Ordinal).Select(l => $"{l.Customer}={l.NodeId}"));
            if (leases.Count == customers && leases.Select(l => l.NodeId).Distinct().Count() == nodes)
            {
                if (shape == previous)
                {
                    return leases;
                }

                previous = shape;
            }
            else
            {
                previous = null;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return null;
    }

    /// <summary>How many customers each node holds: <c>node-1 11, node-2 10, node-3 9</c>.</summary>
    private static string Owners(IEnumerable<Lease> leases) =>
        string.Join(", ", leases.GroupBy(l => l.NodeId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
}
