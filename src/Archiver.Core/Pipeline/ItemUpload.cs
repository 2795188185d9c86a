using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Paths;
using Archiver.Core.Storage;
using Archiver.Core.Uploads;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Pipeline;

/// <summary>
/// One item's upload, as a customer's stream runs it (up to its parallelism at once) after the throttle let the item
/// go: takes a place in the node's <see cref="UploadBudget"/>, streams the item's content to the target and turns the
/// answer into an <see cref="ItemOutcome"/> for the checkpoint. A customer Dropbox refuses altogether fails the stream
/// with <see cref="CustomerBlockedException"/>; every other failure is an outcome of the item alone.
/// </summary>
/// <param name="load">Told when an upload holds a slot and when it waits for the node's budget.</param>
/// <param name="stopping">Once set, items not yet started are handed back instead of uploaded.</param>
/// <param name="abort">Cancels uploads under way (drain timeout or stream failure); they are handed back.</param>
internal sealed class ItemUpload(
    Customer customer,
    PipelineSettings settings,
    PathTemplate paths,
    PipelineServices services,
    Throttle throttle,
    CustomerActivity activity,
    PipelineLoadMeter load,
    CancellationToken stopping,
    CancellationToken abort)
{
    public Task<ItemOutcome> RunAsync(ArchiveItem item) =>
        stopping.IsCancellationRequested
            ? Task.FromResult<ItemOutcome>(HandBack(item, "pipeline stopping"))
            : ArchiveAsync(item, abort);

    private async Task<ItemOutcome> ArchiveAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        load.UploadStarted();
        try
        {
            using var slot = await TakeBudgetAsync(cancellationToken).ConfigureAwait(false);
            var path = paths.Render(item);
            ItemContent opened;
            try
            {
                opened = await services.Content.OpenAsync(item, cancellationToken).ConfigureAwait(false);
            }
            catch (ContentUnavailableException ex)
            {
                return ex.IsPermanent ? Fail(item, ex.Message) : Retry(item, ex.Message);
            }

            UploadResult result;
            await using (opened.ConfigureAwait(false))
            {
                var started = services.Time.GetTimestamp();
                result = await services.Target.UploadAsync(new UploadRequest(customer, item, path, opened), cancellationToken).ConfigureAwait(false);
                activity.UploadCompleted(services.Time.GetElapsedTime(started));
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
            Log.ItemCrashed(services.Logger, ex, customer.Id, item.Id);
            return Retry(item, $"unexpected error: {ex.Message}");
        }
        finally
        {
            load.UploadFinished();
        }
    }

    /// <summary>A place in the node's budget; only a wait for one is reported, a place free at once costs nothing more.</summary>
    private async ValueTask<UploadBudget.Slot> TakeBudgetAsync(CancellationToken cancellationToken)
    {
        var take = services.Uploads.TakeAsync(cancellationToken);
        if (take.IsCompletedSuccessfully)
        {
            return take.Result;
        }

        load.BudgetWaitStarted();
        try
        {
            return await take.ConfigureAwait(false);
        }
        finally
        {
            load.BudgetWaitEnded();
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
                    Log.RateLimited(services.Logger, customer.Id, limited.RetryAfter, throttle.CurrentRate);
                    await services.Store.AppendEventsAsync(
                        [new NewEvent(EventTypes.RateLimited, customer.Id,
                            $"{limited.Reason}; pausing {limited.RetryAfter.TotalSeconds:0.#} s, rate now {throttle.CurrentRate:0.##}/s")],
                        cancellationToken).ConfigureAwait(false);
                }

                return new ItemOutcome.Retry(item.Id, services.Time.GetUtcNow() + limited.RetryAfter, limited.Reason, CountsAsAttempt: false);

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
        new(item.Id, services.Time.GetUtcNow(), reason, CountsAsAttempt: false);

    private ItemOutcome Retry(ArchiveItem item, string reason)
    {
        var attempt = item.Attempts + 1;
        if (attempt >= settings.MaxAttempts)
        {
            return Fail(item, $"gave up after {attempt} attempts; last error: {reason}");
        }

        activity.Retried(reason);
        var delay = Backoff.After(attempt, settings.RetryBaseDelay, settings.RetryMaxDelay);
        return new ItemOutcome.Retry(item.Id, services.Time.GetUtcNow() + delay, reason, CountsAsAttempt: true);
    }

    private ItemOutcome.Failed Fail(ArchiveItem item, string reason)
    {
        activity.Failed(reason);
        Log.ItemFailed(services.Logger, customer.Id, item.Id, reason);
        return new ItemOutcome.Failed(item.Id, reason);
    }
}
