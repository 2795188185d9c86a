using System.Threading.Channels;
using Archiver.Content;
using Archiver.Customers;
using Archiver.Items;
using Archiver.Paths;
using Archiver.Storage;
using Archiver.Uploads;
using Microsoft.Extensions.Logging;

namespace Archiver.Pipeline;

/// <summary>
/// One of a customer's N upload slots: takes claimed items, waits for the throttle and then for a place in the node's
/// <see cref="UploadBudget"/>, streams each item's content to the target and turns the answer into an
/// <see cref="ItemOutcome"/> for the checkpoint.
/// </summary>
internal sealed class UploadWorker(
    Customer customer,
    PipelineSettings settings,
    PathTemplate paths,
    IContentSource content,
    IUploadTarget target,
    Throttle throttle,
    UploadBudget uploads,
    IArchiveStore store,
    CustomerActivity activity,
    TimeProvider time,
    ILogger logger)
{
    /// <param name="input">Claimed items; completes when the feed stops.</param>
    /// <param name="output">Outcomes for the checkpoint.</param>
    /// <param name="stopping">Once set, queued items are handed back instead of started.</param>
    /// <param name="abort">Cancels uploads under way (drain timeout or pipeline failure).</param>
    public async Task RunAsync(
        ChannelReader<ArchiveItem> input,
        ChannelWriter<ItemOutcome> output,
        CancellationToken stopping,
        CancellationToken abort)
    {
        await foreach (var item in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var outcome = stopping.IsCancellationRequested
                ? HandBack(item, "pipeline stopping")
                : await ArchiveAsync(item, abort).ConfigureAwait(false);
            Stages.Write(output, outcome);
        }
    }

    private async Task<ItemOutcome> ArchiveAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        try
        {
            await throttle.AcquireAsync(cancellationToken).ConfigureAwait(false);
            using var slot = await uploads.TakeAsync(cancellationToken).ConfigureAwait(false);
            var path = paths.Render(item);
            ItemContent opened;
            try
            {
                opened = await content.OpenAsync(item, cancellationToken).ConfigureAwait(false);
            }
            catch (ContentUnavailableException ex)
            {
                return ex.IsPermanent ? Fail(item, ex.Message) : Retry(item, ex.Message);
            }

            UploadResult result;
            await using (opened.ConfigureAwait(false))
            {
                var started = time.GetTimestamp();
                result = await target.UploadAsync(new UploadRequest(customer, item, path, opened), cancellationToken).ConfigureAwait(false);
                activity.UploadCompleted(time.GetElapsedTime(started));
            }

            return await ToOutcomeAsync(item, result, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HandBack(item, "upload interrupted by shutdown");
        }
        catch (Exception ex) when (ex is not CustomerBlockedException and not OperationCanceledException)
        {
            // One bad item must not crash its customer's pipeline over and over: it retries, then fails with the reason.
            Log.ItemCrashed(logger, ex, customer.Id, item.Id);
            return Retry(item, $"unexpected error: {ex.Message}");
        }
    }

    private async Task<ItemOutcome> ToOutcomeAsync(ArchiveItem item, UploadResult result, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case UploadResult.Uploaded uploaded:
                throttle.OnAccepted();
                activity.Archived(uploaded.File.Size);
                return new ItemOutcome.Archived(item.Id, uploaded.File);

            case UploadResult.RateLimited limited:
                activity.RateLimited();
                if (throttle.OnRateLimited(limited.RetryAfter))
                {
                    Log.RateLimited(logger, customer.Id, limited.RetryAfter, throttle.CurrentRate);
                    await store.AppendEventsAsync(
                        [new NewEvent(EventTypes.RateLimited, customer.Id,
                            $"{limited.Reason}; pausing {limited.RetryAfter.TotalSeconds:0.#} s, rate now {throttle.CurrentRate:0.##}/s")],
                        cancellationToken).ConfigureAwait(false);
                }

                return new ItemOutcome.Retry(item.Id, time.GetUtcNow() + limited.RetryAfter, limited.Reason, CountsAsAttempt: false);

            case UploadResult.Transient transient:
                return transient.CountsAsAttempt ? Retry(item, transient.Reason) : HandBack(item, transient.Reason);

            case UploadResult.Permanent permanent:
                return Fail(item, permanent.Reason);

            case UploadResult.CustomerBlocked blocked:
                throw new CustomerBlockedException(blocked.State, blocked.Reason);

            default:
                throw new InvalidOperationException($"Unknown upload result {result.GetType().Name}.");
        }
    }

    private ItemOutcome.Retry HandBack(ArchiveItem item, string reason) =>
        new(item.Id, time.GetUtcNow(), reason, CountsAsAttempt: false);

    private ItemOutcome Retry(ArchiveItem item, string reason)
    {
        var attempt = item.Attempts + 1;
        if (attempt >= settings.MaxAttempts)
        {
            return Fail(item, $"gave up after {attempt} attempts; last error: {reason}");
        }

        activity.Retried(reason);
        var delay = RetryDelay.For(attempt, settings.RetryBaseDelay, settings.RetryMaxDelay);
        return new ItemOutcome.Retry(item.Id, time.GetUtcNow() + delay, reason, CountsAsAttempt: true);
    }

    private ItemOutcome.Failed Fail(ArchiveItem item, string reason)
    {
        activity.Failed(reason);
        Log.ItemFailed(logger, customer.Id, item.Id, reason);
        return new ItemOutcome.Failed(item.Id, reason);
    }
}
