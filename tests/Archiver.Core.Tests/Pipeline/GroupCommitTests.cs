using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;

namespace Archiver.Core.Tests.Pipeline;

public sealed class GroupCommitTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ACheckpointWithNoWriteUnderWay_IsWrittenAtOnce_Alone()
    {
        var queue = new RecordingQueue();
        var commit = new GroupCommit(queue);

        var result = await commit.WriteAsync(LeaseOf("acme"), Archived(1, 2), CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(new CheckpointResult(2, 0), result);
        var write = Assert.Single(queue.Writes);
        Assert.Equal(["acme"], write.Select(c => c.Lease.Customer.Value));
    }

    [Fact]
    public async Task CheckpointsArrivingWhileAWriteRuns_GoTogetherInTheNextWrite_EachGettingItsOwnResult()
    {
        var queue = new RecordingQueue();
        var firstWrite = queue.HoldNextWrite();
        var commit = new GroupCommit(queue);
        var acme = commit.WriteAsync(LeaseOf("acme"), Archived(1), CancellationToken.None);
        await firstWrite.Started.Task.WaitAsync(Patience);

        var globex = commit.WriteAsync(LeaseOf("globex"), Archived(10, 11), CancellationToken.None);
        var initech = commit.WriteAsync(LeaseOf("initech"), Archived(20, 21, 22), CancellationToken.None);
        var umbrella = commit.WriteAsync(LeaseOf("umbrella"), Archived(30), CancellationToken.None);
        firstWrite.Release();

        Assert.Equal(new CheckpointResult(1, 0), await acme.WaitAsync(Patience));
        Assert.Equal(new CheckpointResult(2, 0), await globex.WaitAsync(Patience));
        Assert.Equal(new CheckpointResult(3, 0), await initech.WaitAsync(Patience));
        Assert.Equal(new CheckpointResult(1, 0), await umbrella.WaitAsync(Patience));
        Assert.Equal(2, queue.Writes.Count);
        Assert.Equal(["globex", "initech", "umbrella"], queue.Writes[1].Select(c => c.Lease.Customer.Value));
    }

    [Fact]
    public async Task AGroupStopsAtTheLimitOfOutcomes_AndTheRestGoInTheWriteAfter()
    {
        var queue = new RecordingQueue();
        var firstWrite = queue.HoldNextWrite();
        var commit = new GroupCommit(queue, maxOutcomesPerWrite: 4);
        var first = commit.WriteAsync(LeaseOf("acme"), Archived(1), CancellationToken.None);
        await firstWrite.Started.Task.WaitAsync(Patience);

        var waiting = new[]
        {
            commit.WriteAsync(LeaseOf("b"), Archived(10, 11), CancellationToken.None),
            commit.WriteAsync(LeaseOf("c"), Archived(20, 21), CancellationToken.None),
            commit.WriteAsync(LeaseOf("d"), Archived(30), CancellationToken.None),
        };
        firstWrite.Release();
        await Task.WhenAll(waiting.Append(first)).WaitAsync(Patience);

        Assert.Equal(
            [["acme"], ["b", "c"], ["d"]],
            queue.Writes.Select(w => w.Select(c => c.Lease.Customer.Value).ToArray()));
    }

    [Fact]
    public async Task AGroupWriteThatFails_IsWrittenAgainLeaseByLease_SoOnlyTheCheckpointThatCannotBeWrittenFails()
    {
        var queue = new RecordingQueue { Refuses = "broken" };
        var firstWrite = queue.HoldNextWrite();
        var commit = new GroupCommit(queue);
        var first = commit.WriteAsync(LeaseOf("acme"), Archived(1), CancellationToken.None);
        await firstWrite.Started.Task.WaitAsync(Patience);

        var globex = commit.WriteAsync(LeaseOf("globex"), Archived(10), CancellationToken.None);
        var broken = commit.WriteAsync(LeaseOf("broken"), Archived(20), CancellationToken.None);
        var initech = commit.WriteAsync(LeaseOf("initech"), Archived(30), CancellationToken.None);
        firstWrite.Release();

        Assert.Equal(new CheckpointResult(1, 0), await first.WaitAsync(Patience));
        Assert.Equal(new CheckpointResult(1, 0), await globex.WaitAsync(Patience));
        Assert.Equal(new CheckpointResult(1, 0), await initech.WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => broken.WaitAsync(Patience));
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaleLeaseInAGroup_RejectsOnlyItsOwnOutcomes()
    {
        var queue = new RecordingQueue { Stale = "acme" };
        var firstWrite = queue.HoldNextWrite();
        var commit = new GroupCommit(queue);
        var first = commit.WriteAsync(LeaseOf("initech"), Archived(1), CancellationToken.None);
        await firstWrite.Started.Task.WaitAsync(Patience);

        var acme = commit.WriteAsync(LeaseOf("acme"), Archived(10, 11), CancellationToken.None);
        var globex = commit.WriteAsync(LeaseOf("globex"), Archived(20), CancellationToken.None);
        firstWrite.Release();

        Assert.Equal(new CheckpointResult(0, 2), await acme.WaitAsync(Patience));
        Assert.Equal(new CheckpointResult(1, 0), await globex.WaitAsync(Patience));
        await first.WaitAsync(Patience);
        Assert.Equal(2, queue.Writes.Count);
    }

    private static Lease LeaseOf(string customer) => new(new CustomerId(customer), "node-a", 7, Start.AddMinutes(1));

    private static ItemOutcome[] Archived(params long[] ids) =>
        [.. ids.Select(id => new ItemOutcome.Archived(id, new ArchivedFile($"id:{id}", "015f1", $"/a/{id}", "hash", 64)))];

    /// <summary>
    /// The one store call a group commit makes, recorded: each write's checkpoints, in order. A write can be held until
    /// released; a customer named <see cref="Refuses"/> makes any write holding it throw, and one named
    /// <see cref="Stale"/> has lost its lease.
    /// </summary>
    private sealed class RecordingQueue : IItemQueue
    {
        private readonly Lock _lock = new();
        private readonly List<IReadOnlyList<LeaseOutcomes>> _writes = [];
        private HeldWrite? _held;

        public string? Refuses { get; init; }

        public string? Stale { get; init; }

        public IReadOnlyList<IReadOnlyList<LeaseOutcomes>> Writes
        {
            get
            {
                lock (_lock)
                {
                    return [.. _writes];
                }
            }
        }

        public HeldWrite HoldNextWrite() => _held = new HeldWrite();

        public async Task<IReadOnlyList<CheckpointResult>> CheckpointAsync(IReadOnlyList<LeaseOutcomes> checkpoints, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                _writes.Add(checkpoints);
            }

            if (Interlocked.Exchange(ref _held, null) is { } held)
            {
                held.Started.TrySetResult();
                await held.Released.Task;
            }

            if (checkpoints.FirstOrDefault(c => c.Lease.Customer.Value == Refuses) is { } refused)
            {
                throw new InvalidOperationException($"The write of {refused.Lease.Customer} cannot be stored.");
            }

            return [.. checkpoints.Select(c => c.Lease.Customer.Value == Stale
                ? new CheckpointResult(0, c.Outcomes.Count)
                : new CheckpointResult(c.Outcomes.Count, 0))];
        }

        public Task<CheckpointResult> CheckpointAsync(Lease lease, IReadOnlyList<ItemOutcome> outcomes, CancellationToken cancellationToken) =>
            throw new NotSupportedException("A group commit writes through the checkpoint of several leases.");

        public Task<IReadOnlyList<EnqueueResult>> EnqueueAsync(IReadOnlyList<NewItem> items, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ArchiveItem>> ClaimAsync(Lease lease, long afterId, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DateTimeOffset?> NextDueAtAsync(CustomerId customer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> ReleaseClaimsAsync(Lease lease, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> RetryFailedAsync(CustomerId customer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredItem>> ListItemsAsync(ItemQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CustomerProgress>> GetProgressAsync(CustomerId? customer, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class HeldWrite
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
