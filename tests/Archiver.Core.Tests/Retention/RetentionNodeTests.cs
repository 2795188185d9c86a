using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using Archiver.Core.Cluster;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Node;
using Archiver.Core.Retention;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Microsoft.Extensions.Options;

namespace Archiver.Core.Tests.Retention;

/// <summary>A node prunes old history batch by batch while its customers go on archiving, and shows its last run.</summary>
public sealed class RetentionNodeTests
{
    private const int OldItems = 200;
    private const int LiveItems = 100;

    [Fact]
    public async Task TheNode_PrunesOldHistoryInBatches_WhileArchivingGoesOn_AndShowsItsLastRun()
    {
        var store = (SlowPruning?)null;
        await using var harness = await PipelineHarness.StartAsync(inner => store = new SlowPruning(inner));
        var old = (await harness.AddCustomerAsync("old")).Id;
        var live = (await harness.AddCustomerAsync("live")).Id;
        await ArchiveHistoryAsync(harness, old, TimeProvider.System.GetUtcNow().AddDays(-100));

        var node = new ArchiverNode(
            harness.Services,
            PipelineHarness.Configuration(),
            Options.Create(new SupervisorOptions { LeaseDuration = TimeSpan.FromSeconds(3) }),
            Options.Create(new NodeOptions { NodeId = "node-a", RefreshInterval = TimeSpan.FromMilliseconds(100), NodeTimeout = TimeSpan.FromSeconds(2) }),
            retentionOptions: Options.Create(new RetentionOptions { Interval = TimeSpan.FromMilliseconds(200), BatchSize = 10, PauseBetweenBatches = TimeSpan.Zero }));
        using var system = ActorSystem.Create("archiver", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """)
            .WithFallback(ClusterSettings.For(new ClusterOptions()))
            .WithFallback(ControlPersistence.Sqlite(Path.Combine(harness.DataDirectory, "akka.db"))));
        node.Start(system);

        await store!.FirstBatch.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the node leads its cluster of one and prunes
        await harness.EnqueueAsync(live, LiveItems);

        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(live)).Archived == LiveItems, "every live item is archived");
        await Eventually.TrueAsync(() => store.ItemsPruned == OldItems, "every old archived item is pruned");
        await Eventually.TrueAsync(() => node.LastRetentionRun is not null, "the node shows its last run");
        Assert.True(store.CheckpointsWhilePruning > 0, "archiving went on while the pruner deleted batch after batch");
        Assert.Equal(LiveItems, (await harness.Store.ListItemsAsync(new ItemQuery(live, ItemStatus.Archived, Limit: 1000), CancellationToken.None)).Count);
        Assert.Empty(await harness.Store.ListItemsAsync(new ItemQuery(old, Limit: 1000), CancellationToken.None));
        Assert.All(store.Batches, n => Assert.InRange(n, 0, 10));
        var last = node.LastRetentionRun!;
        Assert.Null(last.Error);
        var journaled = await harness.Store.ReadEventsAsync(new EventQuery(Limit: 1000, Type: EventTypes.RetentionPruned), CancellationToken.None);
        Assert.Contains(journaled, e => e.Details.StartsWith($"removed {OldItems} archived item(s)", StringComparison.Ordinal));
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }

    /// <summary>Archives items of <paramref name="customer"/> as if it happened at <paramref name="at"/>, through a store on the same file whose clock says so.</summary>
    private static async Task ArchiveHistoryAsync(PipelineHarness harness, CustomerId customer, DateTimeOffset at)
    {
        await using var past = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Path.Combine(harness.DataDirectory, "archiver.db") },
            new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)),
            new WorkSignal(),
            new ManualTimeProvider(at));
        var ids = (await past.EnqueueAsync(
                Enumerable.Range(0, OldItems).Select(i => new NewItem(customer, $"old-{i}", ItemKind.Sms, GeneratedContentSource.UriFor($"old-{i}"),
                    new ItemMetadata(at, "+1", "+2"))).ToArray(),
                CancellationToken.None))
            .Select(r => r.ItemId).ToArray();
        var lease = (await past.AcquireLeaseAsync(customer, "past", TimeSpan.FromSeconds(30), liveNodes: null, CancellationToken.None))!;
        await past.ClaimAsync(lease, 0, OldItems, CancellationToken.None);
        await past.CheckpointAsync(
            lease, ids.Select(id => (ItemOutcome)new ItemOutcome.Archived(id, new ArchivedFile($"id:{id}", "rev", $"/old/{id}", "hash", 1))).ToArray(),
            CancellationToken.None);
        await past.ReleaseLeaseAsync(lease, CancellationToken.None);
    }

    /// <summary>Each batch of archived items takes a while, as on a big table; counts what went and the checkpoints written meanwhile.</summary>
    private sealed class SlowPruning(IArchiveStore inner) : DelegatingArchiveStore(inner)
    {
        private int _pruning;
        private int _itemsPruned;
        private int _checkpointsWhilePruning;

        public TaskCompletionSource FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource CheckpointedWhilePruning { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<int> Batches { get; } = new();

        public int ItemsPruned => Volatile.Read(ref _itemsPruned);

        public int CheckpointsWhilePruning => Volatile.Read(ref _checkpointsWhilePruning);

        public override async Task<int> PruneArchivedItemsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _pruning);
            try
            {
                FirstBatch.TrySetResult();
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                if (ItemsPruned > 0)
                {
                    // Later batches wait until archiving has moved on beside the pruner, however slowly the live customer
                    // starts on a loaded machine; a pruner that held archiving up would wait here in vain and fail its run.
                    await CheckpointedWhilePruning.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }

                var removed = await base.PruneArchivedItemsAsync(before, max, cancellationToken);
                Batches.Enqueue(removed);
                Interlocked.Add(ref _itemsPruned, removed);
                return removed;
            }
            finally
            {
                Interlocked.Decrement(ref _pruning);
            }
        }

        public override Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _pruning) > 0 || (ItemsPruned > 0 && ItemsPruned < OldItems))
            {
                Interlocked.Increment(ref _checkpointsWhilePruning);
                CheckpointedWhilePruning.TrySetResult();
            }

            return base.CheckpointAsync(lease, outcomes, cancellationToken);
        }
    }
}
