namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>
/// A token bucket over every call of one account: it refills at a steady rate up to its burst, each call takes a
/// token, and a call finding none is told how long until one is free. Calls that are refused take no token.
/// </summary>
internal sealed class TokenBucket(TimeProvider time)
{
    private readonly Lock _gate = new();
    private volatile bool _unlimited = true;
    private double _ratePerSecond;
    private double _capacity;
    private double _tokens;
    private long _refilledAt;

    public void Configure(double ratePerSecond, int burst)
    {
        lock (_gate)
        {
            _ratePerSecond = ratePerSecond;
            _capacity = Math.Max(1, burst);
            _tokens = _capacity;
            _refilledAt = time.GetTimestamp();
            _unlimited = ratePerSecond <= 0;
        }
    }

    /// <summary>Takes a token; when none is left, says after how many whole seconds (at least 1) one will be.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_unlimited)
        {
            return true;
        }

        lock (_gate)
        {
            if (_unlimited)
            {
                return true;
            }

            var now = time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * _ratePerSecond));
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((1 - _tokens) / _ratePerSecond)));
            return false;
        }
    }
}
