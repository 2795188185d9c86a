using System.Threading.Channels;
using Archiver.Customers;
using Archiver.Items;
using Archiver.Paths;
using Archiver.Storage;

namespace Archiver.Pipeline;

/// <summary>
/// One customer's stream graph: <c>ItemFeed → Throttle → Upload (N at a time) → Checkpoint</c>.
/// <para>It runs until stopped, or until its feed has found nothing to claim for <see cref="PipelineSettings.IdleAfter"/>:
/// then the workers finish what they hold, the last outcomes are checkpointed, and <see cref="RunAsync"/> returns.</para>
/// <para>Stopping is graceful: the feed stops claiming, queued items are handed back, uploads under way get
/// <see cref="PipelineSettings.DrainTimeout"/> to finish, and every outcome is checkpointed before
/// <see cref="RunAsync"/> returns. A failure anywhere (a crash, a blocked customer, a lost lease) cancels the
/// whole graph at once and is rethrown to the customer's actor.</para>
/// </summary>
public sealed class CustomerPipeline(
    Customer customer,
    Lease lease,
    PipelineSettings settings,
    PipelineServices services,
    Throttle throttle,
    CustomerActivity activity)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var failure = new CancellationTokenSource();
        using var stopOrFail = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, failure.Token);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(failure.Token);
        using var drainDeadline = stoppingToken.Register(() => abort.CancelAfter(settings.DrainTimeout));

        var demand = new Demand(settings.Capacity);
        // Demand credits bound how many items are claimed and not yet checkpointed, so neither channel can ever hold
        // more than Capacity: writes never wait (see Stages.Write). Bounded channels also cost an idle customer less.
        var claimed = Channel.CreateBounded<ArchiveItem>(new BoundedChannelOptions(settings.Capacity) { SingleWriter = true });
        var outcomes = Channel.CreateBounded<ItemOutcome>(new BoundedChannelOptions(settings.Capacity) { SingleReader = true });
        var paths = PathTemplate.Parse(settings.PathTemplate);

        var feed = new ItemFeed(lease, settings, services, demand);
        var workers = Enumerable.Range(0, settings.Parallelism)
            .Select(_ => new UploadWorker(customer, settings, paths, services.Content, services.Target, throttle,
                services.Uploads, services.Store, activity, services.Time, services.Logger))
            .ToArray();
        var checkpoint = new Checkpoint(lease, settings, services.Store, demand, services.Signal);

        var feedTask = CancelAllOnFault(feed.RunAsync(claimed.Writer, stopOrFail.Token), failure);
        var workerTasks = workers.Select(w => CancelAllOnFault(w.RunAsync(claimed.Reader, outcomes.Writer, stopOrFail.Token, abort.Token), failure)).ToArray();
        var uploadsDone = Task.WhenAll(workerTasks).ContinueWith(
            _ => outcomes.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var checkpointTask = CancelAllOnFault(checkpoint.RunAsync(outcomes.Reader, failure.Token), failure);

        var all = Task.WhenAll([feedTask, .. workerTasks, checkpointTask, uploadsDone]);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch when (all.Exception is not null)
        {
            throw FirstRealFailure(all.Exception);
        }
    }

    /// <summary>When <paramref name="task"/> faults, cancel every other stage so the pipeline fails as one.</summary>
    private static async Task CancelAllOnFault(Task task, CancellationTokenSource failure)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Exception FirstRealFailure(AggregateException aggregate)
    {
        var flat = aggregate.Flatten().InnerExceptions;
        return flat.FirstOrDefault(e => e is not OperationCanceledException) ?? flat[0];
    }
}
