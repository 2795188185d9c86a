namespace Archiver.Core.Pipeline;

/// <summary>
/// The node-wide cap on uploads in flight, shared by every customer's stream. An upload takes a slot after its
/// customer's throttle has let it go and gives it back when the upload is answered, so a customer paused by 429s holds
/// no slot, and waiting for a slot never counts against a request's timeout (as waiting in the HTTP connection pool
/// would). Waiters are served in arrival order; since each customer has at most its parallelism waiting, customers
/// share the budget in proportion to it, and none can take it all.
/// </summary>
public sealed class UploadBudget(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(capacity, capacity);

    /// <summary>A budget that never makes anyone wait: for hosts that cap nothing.</summary>
    public static UploadBudget Unlimited => new(int.MaxValue);

    public int Capacity { get; } = capacity;

    /// <summary>Uploads in flight now.</summary>
    public int InUse => Capacity - _slots.CurrentCount;

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async ValueTask<Slot> TakeAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One upload's place in the budget.</summary>
    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
