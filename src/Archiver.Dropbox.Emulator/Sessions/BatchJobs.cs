using System.Collections.Concurrent;

namespace Archiver.Dropbox.Emulator.Sessions;

/// <summary>
/// An account's <c>finish_batch</c> jobs. The commit is applied when the job is launched; the first
/// <c>finish_batch/check</c> answers <c>in_progress</c>, later ones <c>complete</c> with the entries.
/// </summary>
internal sealed class BatchJobs
{
    private readonly ConcurrentDictionary<string, BatchJob> _jobs = new(StringComparer.Ordinal);

    public string Add(byte[] completeAnswer)
    {
        var id = "dbjid:" + Guid.NewGuid().ToString("N");
        _jobs[id] = new BatchJob(completeAnswer);
        return id;
    }

    /// <summary>The job's complete answer, or an empty array while it still counts as running; null when unknown.</summary>
    public byte[]? Check(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        return Interlocked.Exchange(ref job.ChecksBeforeComplete, 0) > 0 ? [] : job.CompleteAnswer;
    }

    private sealed class BatchJob(byte[] completeAnswer)
    {
        public int ChecksBeforeComplete = 1;

        public byte[] CompleteAnswer { get; } = completeAnswer;
    }
}
