namespace Archiver.Core.Pipeline;

/// <summary>
/// The bound on what a customer's stream holds: one credit per item claimed but not yet checkpointed. The
/// <see cref="ItemSource"/> takes credits before claiming and the <see cref="Checkpoint"/> gives them back once the
/// outcomes are written, so however the stages between them buffer, no more than <see cref="Capacity"/> items are ever
/// out of the database. Taking never waits: a source without enough credits claims again when credits come back.
/// </summary>
internal sealed class ClaimCredits(int capacity)
{
    private readonly Lock _lock = new();
    private int _available = capacity;
    private Action? _returned;

    public int Capacity { get; } = capacity;

    /// <summary>Credits free right now.</summary>
    public int Available
    {
        get { lock (_lock) { return _available; } }
    }

    /// <summary>
    /// Takes every free credit up to <paramref name="max"/> when at least <paramref name="atLeast"/> (at least one, at
    /// most <paramref name="max"/>) are free; otherwise takes none. The source asks for half its capacity at least: while
    /// the other half keeps the uploads busy, it claims in pages rather than an item or two at a time, and a database
    /// round trip serves many items.
    /// </summary>
    /// <returns>The credits taken; 0 when fewer than <paramref name="atLeast"/> are free.</returns>
    public int TryTake(int max, int atLeast)
    {
        var wanted = Math.Clamp(atLeast, 1, Math.Max(1, max));
        lock (_lock)
        {
            if (_available < wanted)
            {
                return 0;
            }

            var taken = Math.Min(_available, max);
            _available -= taken;
            return taken;
        }
    }

    /// <summary>Gives <paramref name="count"/> credits back and tells whoever waits for them.</summary>
    public void Return(int count)
    {
        if (count <= 0)
        {
            return;
        }

        Action? returned;
        lock (_lock)
        {
            _available += count;
            if (_available > Capacity)
            {
                throw new InvalidOperationException($"{_available} claim credits free, more than the {Capacity} there are.");
            }

            returned = _returned;
        }

        returned?.Invoke();
    }

    /// <summary>Called (on the returning thread) whenever credits come back; null to stop being told.</summary>
    public void OnReturned(Action? returned)
    {
        lock (_lock)
        {
            _returned = returned;
        }
    }
}
