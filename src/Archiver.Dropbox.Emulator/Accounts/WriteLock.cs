namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>An account namespace's write lock: one commit at a time; a commit that finds it held is refused, not queued.</summary>
internal sealed class WriteLock
{
    private int _held;

    public bool IsHeld => Volatile.Read(ref _held) != 0;

    public bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _held, 0);
}
