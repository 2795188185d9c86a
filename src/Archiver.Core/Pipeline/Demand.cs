namespace Archiver.Pipeline;

/// <summary>
/// The back-pressure between a customer's feed and the rest of its pipeline: a pool of credits, one per item
/// that may be claimed but not yet checkpointed. The feed takes credits before claiming; the checkpoint gives
/// them back once outcomes are written. So the feed never claims more than downstream has room for.
/// </summary>
public sealed class Demand(int capacity)
{
    private readonly SemaphoreSlim _credits = new(capacity, capacity);

    public int Capacity { get; } = capacity;

    /// <summary>Credits free right now.</summary>
    public int Available => _credits.CurrentCount;

    /// <summary>Waits for at least one credit, then takes as many as are free, up to <paramref name="max"/>.</summary>
    public async Task<int> TakeAsync(int max, CancellationToken cancellationToken)
    {
        await _credits.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = 1;
        while (taken < max && _credits.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>Gives <paramref name="count"/> credits back.</summary>
    public void Return(int count)
    {
        if (count > 0)
        {
            _credits.Release(count);
        }
    }
}
