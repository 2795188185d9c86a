using System.Collections.Concurrent;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Paths;
using Archiver.Core.Storage;
using Archiver.Core.Uploads;

namespace Archiver.Bench;

/// <summary>
/// The old design, reproduced for comparison: every 2 s a scheduler reads ALL of the customer's pending items and
/// starts one task per item not already in progress. No demand limit, no throttle: every task uploads at once with
/// the same <see cref="Archiver.Dropbox.DropboxClient"/> (through the same upload target), and on a 429 just leaves
/// the item pending for the next tick.
/// </summary>
/// <remarks>
/// "Reading all pending" is done with <see cref="IItemQueue.ClaimAsync"/> in pages (the store's only way to read
/// pending items that lets their outcome be written back); claimed items are the ones "in progress", so the next tick
/// skips them. Outcomes are written in batches every 100 ms rather than one transaction per item, which flatters the
/// old design: its cost here is the request storm, not the database.
/// </remarks>
internal sealed class Naive(BenchHost host, CustomerId customerId)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);
    private readonly ConcurrentQueue<ItemOutcome> _outcomes = new();
    private readonly ConcurrentDictionary<long, byte> _inProgress = new();
    private readonly ConcurrentBag<Task> _tasks = [];

    public long TasksStarted { get; private set; }

    public int Ticks { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lease = await host.Store.AcquireLeaseAsync(customerId, "naive", TimeSpan.FromHours(1), cancellationToken)
            ?? throw new InvalidOperationException("The naive scheduler could not take the customer's lease.");
        var customer = await host.Store.GetCustomerAsync(customerId, cancellationToken)
            ?? throw new InvalidOperationException("No such customer.");
        var paths = PathTemplate.Parse(PathTemplate.Default);
        using var flusherStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flusher = FlushLoopAsync(lease, flusherStop.Token);
        try
        {
            using var timer = new PeriodicTimer(Tick);
            do
            {
                Ticks++;
                var afterId = 0L;
                while (true)
                {
                    var page = await host.Store.ClaimAsync(lease, afterId, 1000, cancellationToken);
                    if (page.Count == 0)
                    {
                        break;
                    }

                    foreach (var item in page)
                    {
                        afterId = item.Id;
                        if (!_inProgress.TryAdd(item.Id, 0))
                        {
                            continue;
                        }

                        TasksStarted++;
                        _tasks.Add(Task.Run(() => UploadAsync(customer, item, paths, cancellationToken), CancellationToken.None));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_tasks.ToArray()).ContinueWith(static _ => { }, TaskScheduler.Default);
            await flusherStop.CancelAsync();
            await flusher;
        }
    }

    private async Task UploadAsync(Customer customer, ArchiveItem item, PathTemplate paths, CancellationToken cancellationToken)
    {
        try
        {
            var content = await host.Content.OpenAsync(item, cancellationToken);
            UploadResult result;
            await using (content)
            {
                result = await host.Target.UploadAsync(new UploadRequest(customer, item, paths.Render(item), content), cancellationToken);
            }

            _inProgress.TryRemove(item.Id, out _);
            _outcomes.Enqueue(result switch
            {
                UploadResult.Uploaded u => new ItemOutcome.Archived(item.Id, u.File),
                UploadResult.RateLimited => new ItemOutcome.Retry(item.Id, DateTimeOffset.UtcNow, "429", CountsAsAttempt: false),
                _ => new ItemOutcome.Retry(item.Id, DateTimeOffset.UtcNow, result.ToString(), CountsAsAttempt: false),
            });
        }
        catch (Exception ex)
        {
            // Cancelled at the end of the run, or anything else: the item just goes back to pending.
            _inProgress.TryRemove(item.Id, out _);
            _outcomes.Enqueue(new ItemOutcome.Retry(item.Id, DateTimeOffset.UtcNow, ex.GetType().Name, CountsAsAttempt: false));
        }
    }

    private async Task FlushLoopAsync(Lease lease, CancellationToken stop)
    {
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            var batch = new List<ItemOutcome>();
            while (_outcomes.TryDequeue(out var o))
            {
                batch.Add(o);
            }

            if (batch.Count > 0)
            {
                // Each item left _inProgress before its outcome was queued; it stays in flight in the store until
                // this write, so no tick can start it twice.
                await host.Store.CheckpointAsync(lease, batch, CancellationToken.None);
            }

            if (stopping)
            {
                return;
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                // One last flush.
            }
        }
    }
}
