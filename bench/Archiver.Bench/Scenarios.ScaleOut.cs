using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Dropbox.Emulator;
using Archiver.Testing.Postgres;

namespace Archiver.Bench;

internal sealed partial class Scenarios
{
    // ---- scaleout: one node vs three, where each node's upload budget is the bottleneck ----

    private const int ScaleOutCustomers = 30;
    private const int ScaleOutMaxUploads = 4;
    private static readonly TimeSpan ScaleOutUploadTime = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The same backlog drained by one node and by three (in this process, each with its own actor system, forming a
    /// cluster through one PostgreSQL), where what limits a node is its own upload budget — 4 uploads in flight, each
    /// taking 50 ms longer than the emulator needs — and not the machine's shared cores: what a second and third node buy.
    /// In <see cref="Rounds"/> rounds of one node then three; the figure is the median of the rounds' ratios.
    /// </summary>
    private async Task<IReadOnlyList<Figure>> ScaleOutAsync(CancellationToken cancellationToken)
    {
        const string scenario = "scaleout";
        var perCustomer = quick ? 34 : 54; // ~13 s or ~20 s on one node at its ceiling of 4 / 50 ms = 80 items/s
        var ceiling = ScaleOutMaxUploads / ScaleOutUploadTime.TotalSeconds;
        Console.WriteLine($"[{scenario}] {ScaleOutCustomers} customers x {perCustomer} items, unlimited Dropbox; each node's upload budget (node max-uploads) {ScaleOutMaxUploads}, " +
            $"every upload {ScaleOutUploadTime.TotalMilliseconds:0} ms slower (ceiling {ceiling:0} items/s per node); one node, then three on one PostgreSQL");
        List<double> ones = [], threes = [], ratios = [], allBusy = [];
        ScaleOutRun? last = null;
        for (var round = 1; round <= Rounds; round++)
        {
            var one = await ScaleOutRunAsync(1, perCustomer, cancellationToken);
            var three = await ScaleOutRunAsync(3, perCustomer, cancellationToken);
            ones.Add(one.ItemsPerSecond);
            threes.Add(three.ItemsPerSecond);
            ratios.Add(three.ItemsPerSecond / one.ItemsPerSecond);
            allBusy.Add(three.AllBusyItemsPerSecond / one.ItemsPerSecond);
            last = three;
            Console.WriteLine($"[{scenario}] round {round}: one node {one.ItemsPerSecond:0.0} items/s in {one.Seconds:0.0} s{(one.Done ? "" : " (NOT drained)")}; " +
                $"three nodes {three.ItemsPerSecond:0.0} items/s in {three.Seconds:0.0} s{(three.Done ? "" : " (NOT drained)")}, customers placed {three.Placement}, " +
                $"{three.AllBusyItemsPerSecond:0.0} items/s while all three had work: {ratios[^1]:0.000}");
        }

        var note = $"{Rounds} rounds of one node, then three, each on a fresh database; items are enqueued at once once the node(s) hold every customer's lease; " +
            "items/s = items / (last archived updated_at - enqueue). Sharding places customers by hashing them to 100 shards spread evenly, so the node " +
            $"with the most customers finishes last (the last round: {last!.Placement}, which alone holds the ratio to about {(double)ScaleOutCustomers / last.MostCustomersOnANode:0.00}). " +
            $"Nodes, PostgreSQL and the emulator share this machine's {Environment.ProcessorCount} cores";
        Console.WriteLine($"[{scenario}] {note}");
        return
        [
            Figure.Median(scenario, "items/s, three nodes / one node", ratios, "x", Goal.AtLeast(2.5, "x"), isRatio: true, note: note),
            Figure.Median(scenario, "while all three busy: items/s / one node", allBusy, "x", null, isRatio: true),
            Figure.Median(scenario, "items/s, one node", ones, "items/s", null),
            Figure.Median(scenario, "items/s, three nodes", threes, "items/s", null),
        ];
    }

    /// <param name="AllBusyItemsPerSecond">Items archived per second from the enqueue until the first node ran out of work.</param>
    private sealed record ScaleOutRun(
        long Total, bool Done, double Seconds, double ItemsPerSecond, double AllBusyItemsPerSecond, string Placement, int MostCustomersOnANode);

    private async Task<ScaleOutRun> ScaleOutRunAsync(int nodes, int perCustomer, CancellationToken cancellationToken)
    {
        await using var database = await PostgresDatabase.CreateAsync("scaleout", cancellationToken);
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        var hosts = new List<BenchHost>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var node = new NodeOptions { NodeId = $"bench-{i + 1}", MaxUploads = ScaleOutMaxUploads };
                hosts.Add(new BenchHost(
                    emulator.BaseUri,
                    new PipelineOptions(),
                    node,
                    wrapTarget: target => new SlowTarget(target, ScaleOutUploadTime),
                    store: RunDatabase.PostgresStore(database.ConnectionString),
                    persistenceConnectionString: database.ConnectionString,
                    uploads: new UploadBudget(node.MaxUploads))); // as the app builds it from archiver.node.max-uploads
            }

            var store = hosts[0].Store;
            await hosts[0].MigrateAsync(cancellationToken);
            var names = Enumerable.Range(0, ScaleOutCustomers).Select(c => $"c{c:D3}").ToList();
            foreach (var name in names)
            {
                emulator.AddAccount(name, BenchHost.TokenOf(name), AccountLimits.Unlimited);
                await hosts[0].AddCustomerAsync(name, new CustomerTuning(10_000, 1_000, 8), cancellationToken);
            }

            foreach (var host in hosts)
            {
                await host.StartAsync(cancellationToken);
            }

            var leases = await WaitForLeasesAsync(store, ScaleOutCustomers, nodes, TimeSpan.FromSeconds(60), cancellationToken)
                ?? throw new TimeoutException($"{nodes} node(s) did not share the customers' leases within 60 s");
            var owners = leases.ToDictionary(l => l.Customer.Value, l => l.NodeId);
            var placement = Owners(leases);
            Console.WriteLine($"[scaleout] {nodes} node(s) hold every customer ({placement}); enqueueing {names.Count * perCustomer} items of 64 bytes");

            // The whole backlog in one transaction, timed from just before it, to each item's archived time in the store.
            var items = names.SelectMany(name => Enumerable.Range(0, perCustomer).Select(i => BenchHost.Item(name, i, 64, Start))).ToList();
            var enqueuedAt = DateTimeOffset.UtcNow;
            await store.EnqueueAsync(items, cancellationToken);
            var drained = await WaitDrainedAsync(store, items.Count, TimeSpan.FromSeconds(quick ? 60 : 120), cancellationToken, pollMs: 250);

            var lastByCustomer = new Dictionary<string, DateTimeOffset>();
            var all = new List<DateTimeOffset>();
            foreach (var name in names)
            {
                var times = await ArchivedTimesAsync(store, name, cancellationToken);
                all.AddRange(times);
                if (times.Count > 0)
                {
                    lastByCustomer[name] = times[^1];
                }
            }

            var seconds = all.Count == 0 ? double.NaN : (all.Max() - enqueuedAt).TotalSeconds;
            // All busy: until the node whose customers finished first archived its last item.
            var firstIdle = lastByCustomer.GroupBy(c => owners[c.Key], c => c.Value).Select(g => g.Max()).DefaultIfEmpty(enqueuedAt).Min();
            var busySeconds = (firstIdle - enqueuedAt).TotalSeconds;
            var busyItems = all.Count(t => t <= firstIdle);
            return new ScaleOutRun(
                items.Count, drained.Done, seconds, drained.Archived / seconds, busyItems / busySeconds, placement,
                leases.GroupBy(l => l.NodeId).Max(g => g.Count()));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
