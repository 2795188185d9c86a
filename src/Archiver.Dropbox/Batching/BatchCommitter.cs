using Archiver.Core;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Batching;

/// <summary>
/// One customer's batch commits: exactly one <c>finish_batch_v2</c> in flight; everything that arrives meanwhile goes
/// into the next one (up to <see cref="BatchCommitOptions.MaxEntries"/>). Write contention
/// (<c>too_many_write_operations</c> as 429, 409 or failed entries) is not rate limiting: the refused entries wait a
/// <see cref="Backoff"/> that starts between half a second and a second, and go again in the next, larger batch. A real 429 is honoured
/// (<c>Retry-After</c>) and the batch sent again after it.
/// </summary>
internal sealed class BatchCommitter(
    DropboxClient client, TimeProvider time, BatchCommitOptions options, Action onContention, CancellationToken lifetime)
{
    /// <summary>Contention rounds after which an entry is given back to the pipeline as a transient failure.</summary>
    public const int MaxContentionRounds = 12;

    /// <summary>Rate-limited or transiently failed commits after which an entry is given back to the pipeline.</summary>
    public const int MaxFailedRounds = 4;

    private static readonly TimeSpan ContentionBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ContentionMax = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TransientBase = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TransientMax = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<PendingCommit> _queue = [];
    private bool _running;

    /// <summary>Rounds in a row that met write contention; a round without any resets it.</summary>
    private int _contentionStreak;

    /// <summary>
    /// Queues a closed session for the next batch and waits for its own entry's outcome: the committed file, or the
    /// exception a single finish of it would have thrown.
    /// </summary>
    public async Task<FileMetadata> CommitAsync(FinishBatchEntry entry, string accessToken, CancellationToken cancellationToken)
    {
        var pending = new PendingCommit(entry, accessToken);
        using var registration = cancellationToken.Register(() => pending.Result.TrySetCanceled(cancellationToken));
        lock (_gate)
        {
            _queue.Add(pending);
            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return await pending.Result.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                if (options.MaxWait > TimeSpan.Zero && LoneEntry())
                {
                    await Task.Delay(options.MaxWait, time, lifetime).ConfigureAwait(false);
                }

                List<PendingCommit> batch;
                lock (_gate)
                {
                    _queue.RemoveAll(p => p.IsDone);
                    if (_queue.Count == 0)
                    {
                        _running = false;
                        return;
                    }

                    var count = Math.Min(_queue.Count, options.MaxEntries);
                    batch = _queue.GetRange(0, count);
                    _queue.RemoveRange(0, count);
                }

                var (again, delay) = await CommitOnceAsync(batch).ConfigureAwait(false);
                if (again.Count > 0)
                {
                    lock (_gate)
                    {
                        _queue.InsertRange(0, again);
                    }

                    await Task.Delay(delay, time, lifetime).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                lock (_gate)
                {
                    foreach (var pending in _queue)
                    {
                        pending.Result.TrySetCanceled(lifetime);
                    }

                    _queue.Clear();
                    _running = false;
                }

                return;
            }
        }
    }

    private bool LoneEntry()
    {
        lock (_gate)
        {
            return _queue.Count(p => !p.IsDone) == 1;
        }
    }

    /// <summary>Sends one batch; returns the entries to send again and how long to wait first.</summary>
    private async Task<(List<PendingCommit> Again, TimeSpan Delay)> CommitOnceAsync(List<PendingCommit> batch)
    {
        IReadOnlyList<FinishBatchEntryResult> results;
        try
        {
            results = await client.UploadSessionFinishBatchV2Async(
                batch[^1].AccessToken, [.. batch.Select(p => p.Entry)], lifetime).ConfigureAwait(false);
        }
        catch (DropboxException e) when (IsContention(e))
        {
            return Contended(batch, e);
        }
        catch (DropboxRateLimitException e)
        {
            return Retry(batch, e, e.RetryAfter);
        }
        catch (DropboxException e) when (e is DropboxTransportException or DropboxServerException)
        {
            // Perhaps applied, perhaps not: a resent entry whose session was consumed fails lookup_failed/not_found,
            // and the pipeline's retry then finds identical content already there.
            return Retry(batch, e, Backoff.After(batch.Max(p => p.FailedRounds) + 1, TransientBase, TransientMax));
        }
        catch (DropboxException e)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }

            return ([], TimeSpan.Zero);
        }

        var contended = new List<PendingCommit>();
        DropboxRouteException? contention = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var result = results[i];
            if (result.File is { } file)
            {
                pending.Result.TrySetResult(file);
            }
            else if (IsContention(result.Failure!))
            {
                contended.Add(pending);
                contention = result.Failure;
            }
            else
            {
                pending.Result.TrySetException(result.Failure!);
            }
        }

        if (contended.Count == 0)
        {
            _contentionStreak = 0;
            return ([], TimeSpan.Zero);
        }

        return Contended(contended, contention!);
    }

    private (List<PendingCommit> Again, TimeSpan Delay) Contended(List<PendingCommit> entries, DropboxException failure)
    {
        onContention();
        var again = new List<PendingCommit>(entries.Count);
        foreach (var pending in entries)
        {
            if (++pending.ContentionRounds > MaxContentionRounds)
            {
                pending.Result.TrySetException(failure);
            }
            else
            {
                again.Add(pending);
            }
        }

        return (again, Backoff.After(++_contentionStreak, ContentionBase, ContentionMax));
    }

    private static (List<PendingCommit> Again, TimeSpan Delay) Retry(
        List<PendingCommit> batch, DropboxException failure, TimeSpan delay)
    {
        var again = new List<PendingCommit>(batch.Count);
        foreach (var pending in batch)
        {
            if (++pending.FailedRounds > MaxFailedRounds)
            {
                pending.Result.TrySetException(failure);
            }
            else
            {
                again.Add(pending);
            }
        }

        return (again, delay);
    }

    /// <summary><c>too_many_write_operations</c> in any of its shapes: 429 reason, 409 route or path error, entry failure.</summary>
    internal static bool IsContention(DropboxException failure) => failure switch
    {
        DropboxRateLimitException e => e.Reason == RateLimitReason.TooManyWriteOperations,
        DropboxPathException e => e.Kind == PathErrorKind.TooManyWriteOperations,
        DropboxRouteException e => e.Tag == "too_many_write_operations",
        _ => false,
    };
}
