namespace Archiver.Dropbox.Emulator;

/// <summary>
/// Holds an account's batch commits before they touch its files, until <see cref="Release"/>: a held commit is applied
/// after the release even when its caller has gone away meanwhile, as Dropbox finishes a commit it has accepted.
/// </summary>
public sealed class BatchCommitHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<BatchCommitHold> _onRelease;
    private int _held;

    internal BatchCommitHold(Action<BatchCommitHold> onRelease) => _onRelease = onRelease;

    /// <summary>Completes when the first batch commit is being held.</summary>
    public Task Reached => _reached.Task;

    /// <summary>How many batch commits are waiting.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Lets every held commit, and every later one, go ahead.</summary>
    public void Release()
    {
        _onRelease(this);
        _released.TrySetResult();
    }

    internal Task WaitAsync()
    {
        Interlocked.Increment(ref _held);
        _reached.TrySetResult();
        return _released.Task;
    }
}
