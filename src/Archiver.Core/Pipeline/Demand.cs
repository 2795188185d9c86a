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

    /// <summary>
    /// Waits until <paramref name="atLeast"/> credits are free (at least one, at most <paramref name="max"/>), then
    /// takes as many as are free, up to <paramref name="max"/>. The feed asks for half its capacity at least: while
    /// the other half keeps the workers busy, it claims in pages rather than an item or two at a time, and a database
    /// round trip serves many items.
    /// </summary>
    public async Task<int> TakeAsync(int max, int atLeast, CancellationToken cancellationToken)
    {
        var wanted = Math.Clamp(atLeast, 1, Math.Max(1, max));
        var taken = 0;
        try
        {
            while (taken < wanted)
            {
                await _credits.WaitAsync(cancellationToken).ConfigureAwait(false);
                taken++;
            }
        }
        catch (OperationCanceledException)
        {
            Return(taken);
            throw;
        }

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
