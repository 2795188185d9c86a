using Archiver.Customers;

namespace Archiver.Pipeline;

/// <summary>
/// Live counters of one customer on this node, kept across pipeline restarts: what the status view,
/// the demo's progress bars and metrics read. Updated lock-free from the upload workers.
/// </summary>
public sealed class CustomerActivity(CustomerId customer)
{
    private long _archived;
    private long _failed;
    private long _retried;
    private long _rateLimited;
    private long _bytes;
    private long _restarts;
    private volatile Throttle? _throttle;
    private volatile string _phase = PipelinePhases.Starting;
    private volatile string? _lastError;

    public CustomerId Customer { get; } = customer;

    public void Archived(long bytes)
    {
        Interlocked.Increment(ref _archived);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Failed(string reason)
    {
        Interlocked.Increment(ref _failed);
        _lastError = reason;
    }

    public void Retried(string reason)
    {
        Interlocked.Increment(ref _retried);
        _lastError = reason;
    }

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void Restarted(string reason)
    {
        Interlocked.Increment(ref _restarts);
        _lastError = reason;
    }

    public void Phase(string phase) => _phase = phase;

    public void UseThrottle(Throttle throttle) => _throttle = throttle;

    public CustomerActivitySnapshot Snapshot()
    {
        var throttle = _throttle;
        return new CustomerActivitySnapshot(
            Customer,
            _phase,
            Interlocked.Read(ref _archived),
            Interlocked.Read(ref _failed),
            Interlocked.Read(ref _retried),
            Interlocked.Read(ref _rateLimited),
            Interlocked.Read(ref _bytes),
            Interlocked.Read(ref _restarts),
            throttle?.CurrentRate,
            throttle?.PausedUntil,
            _lastError);
    }
}
