using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Paths;
using Archiver.Core.Storage;

namespace Archiver.Core.Pipeline;

/// <summary>
/// One customer's stream graph:
/// <c>ItemSource ──▶ AdaptiveThrottle ──▶ upload (parallelism at once) ──▶ Batch ──▶ checkpoint (one write at a time) ──▶ sink</c>.
/// <para>It runs until stopped, or until its source has found nothing to claim for <see cref="PipelineSettings.IdleAfter"/>:
/// then the uploads under way finish, the last outcomes are checkpointed, and the task completes.</para>
/// <para>Stopping is graceful and goes through the source's completion: the source stops claiming, items not yet
/// started are handed back (written back to pending), uploads under way get <see cref="PipelineSettings.DrainTimeout"/>
/// to finish, and every outcome is checkpointed before the task completes. A failure anywhere (a crash, a blocked
/// customer, a lost lease) fails the whole graph at once, cancels the uploads under way and is rethrown.</para>
/// <para>The source and the uploads report where items wait to the stream's <see cref="PipelineLoadMeter"/>, which status
/// reads through the customer's <see cref="CustomerActivity"/> to say what holds the customer back.</para>
/// </summary>
public static class CustomerStream
{
    public static async Task RunAsync(
        IMaterializer materializer,
        Customer customer,
        Lease lease,
        PipelineSettings settings,
        PipelineServices services,
        Throttle throttle,
        CustomerActivity activity,
        CancellationToken stopping)
    {
        using var failure = new CancellationTokenSource();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(failure.Token);
        using var drainDeadline = stopping.Register(() => abort.CancelAfter(settings.DrainTimeout));

        var credits = new ClaimCredits(settings.Capacity);
        var load = activity.MeasureLoad(settings.Parallelism);
        var upload = new ItemUpload(customer, settings, PathTemplate.Parse(settings.PathTemplate), services, throttle, activity, load, stopping, abort.Token);
        var checkpoint = new Checkpoint(lease, settings, services.Checkpoints, credits, services.Signal);

        // Uploads finish out of order (a slow one must not hold back the others' slots). The batch takes whatever
        // arrived while the previous write ran; credits keep it within the capacity, and the checkpoint writes it in
        // transactions of the configured size. Batch keeps no timer, unlike GroupedWithin, so an idle stream costs nothing.
        var completion = Source.FromGraph(new ItemSource(lease, settings, services, credits, stopping, load))
            .Via(new AdaptiveThrottle<ArchiveItem>(throttle, stopping))
            .SelectAsyncUnordered(settings.Parallelism, upload.RunAsync)
            .Batch(settings.Capacity, outcome => new List<ItemOutcome> { outcome }, (batch, outcome) =>
            {
                batch.Add(outcome);
                return batch;
            })
            .SelectAsync(1, batch => checkpoint.WriteAsync(batch, failure.Token))
            .RunWith(Sink.Ignore<int>(), materializer);
        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await failure.CancelAsync().ConfigureAwait(false);
            throw Cause(ex);
        }
    }

    /// <summary>An async step's failure reaches the sink wrapped: the actor needs the exception itself (blocked, lease lost).</summary>
    private static Exception Cause(Exception failure)
    {
        while (failure is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            failure = aggregate.InnerExceptions[0];
        }

        return failure;
    }
}
