namespace Archiver.Pipeline;

/// <summary>
/// One customer's pace towards Dropbox: a token bucket shared by all its upload workers.
/// <list type="bullet">
/// <item>Each call waits for a token; tokens refill at <see cref="CurrentRate"/> up to half the burst. The burst is
/// what Dropbox tolerates at once; saving up all of it would, after any quiet spell or stall, spend Dropbox's own
/// bucket to the last token, and from then on the first jitter in arrival times meets a 429 (whose pause and halved
/// rate cost seconds of throughput). The other half stays with Dropbox as slack.</item>
/// <item>A new throttle holds one token and refills from its first call on, not from its creation: it cannot know
/// what was spent against the customer's limit just before (by a pipeline that crashed, a node that failed over).</item>
/// <item>A 429 pauses the whole customer until its Retry-After (every worker, including those already waiting),
/// and halves the rate once per pause window, down to a floor.</item>
/// <item>While Dropbox accepts, the rate climbs back additively, never above the configured ceiling.</item>
/// </list>
/// So an unknown real limit is found and tracked, and a Retry-After always wins.
/// </summary>
public sealed class Throttle
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private ThrottleLimits _limits;
    private double _rate;
    private double _tokens;
    private DateTimeOffset _refilledAt;
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _lastIncreaseAt;
    private long _pauseGeneration;

    public Throttle(ThrottleLimits limits, TimeProvider time)
    {
        _time = time;
        _limits = limits;
        _rate = limits.RatePerSecond;
        _tokens = Math.Min(1, limits.Burst);
        _lastIncreaseAt = time.GetUtcNow(); // _refilledAt stays unset until the first call (see Refill)
    }

    /// <summary>The rate in force now, between the floor and the configured ceiling.</summary>
    public double CurrentRate
    {
        get { lock (_lock) { return _rate; } }
    }

    /// <summary>When the current Retry-After pause ends; null when not paused.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            lock (_lock)
            {
                return _pausedUntil > _time.GetUtcNow() ? _pausedUntil : null;
            }
        }
    }

    /// <summary>Waits until this customer may make one more call.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            long generation;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (now < _pausedUntil)
                {
                    wait = _pausedUntil - now;
                    generation = -1;
                }
                else
                {
                    Refill(now);
                    _tokens -= 1; // a reservation: a negative balance is the queue of callers ahead
                    wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
                    generation = _pauseGeneration;
                }
            }

            if (generation < 0)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Refund();
                    throw;
                }
            }

            lock (_lock)
            {
                // A 429 arrived while we waited: our reservation predates it, so give it back and queue behind the pause.
                if (generation == _pauseGeneration || _time.GetUtcNow() >= _pausedUntil)
                {
                    return;
                }

                _tokens += 1;
            }
        }
    }

    /// <summary>Dropbox accepted a call: let the rate climb back towards the ceiling.</summary>
    public void OnAccepted()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_rate >= _limits.RatePerSecond)
            {
                _lastIncreaseAt = now;
                return;
            }

            var elapsed = (now - _lastIncreaseAt).TotalSeconds;
            if (elapsed <= 0)
            {
                return; // still inside the window of the last 429
            }

            Refill(now); // settle tokens at the old rate before changing it
            _rate = Math.Min(_limits.RatePerSecond, _rate + (_limits.RecoveryPerSecond * Math.Min(elapsed, 1)));
            _lastIncreaseAt = now;
        }
    }

    /// <summary>
    /// Dropbox answered 429: pause every call of this customer for <paramref name="retryAfter"/>
    /// and, unless already paused, halve the rate.
    /// </summary>
    /// <returns>True when this began a new pause window (worth journaling), false when it extended one.</returns>
    public bool OnRateLimited(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var newWindow = now >= _pausedUntil;
            if (newWindow)
            {
                Refill(now);
                _rate = Math.Max(_limits.FloorPerSecond, _rate / 2);
            }

            var until = now + retryAfter;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            // Nothing is saved up during the pause either: when it ends, calls resume at the new rate, not as a burst
            // that would meet the next 429 at once.
            _tokens = Math.Min(_tokens, 0);
            _refilledAt = _pausedUntil;

            _lastIncreaseAt = _pausedUntil;
            _pauseGeneration++;
            return newWindow;
        }
    }

    /// <summary>Applies new limits (hot reload): a throttle at its ceiling moves to the new ceiling; a rate cut by 429s stays cut, within the new range.</summary>
    public void UpdateLimits(ThrottleLimits limits)
    {
        lock (_lock)
        {
            Refill(_time.GetUtcNow());
            var atCeiling = _rate >= _limits.RatePerSecond;
            _limits = limits;

            // Running at the old ceiling means Dropbox has not pushed back: go straight to the new one. A rate cut by
            // 429s stays cut (within the new bounds) and climbs back as usual.
            _rate = atCeiling ? limits.RatePerSecond : Math.Clamp(_rate, limits.FloorPerSecond, limits.RatePerSecond);
            _tokens = Math.Min(_tokens, SavedAtMost(limits));
        }
    }

    /// <summary>
    /// Starts from a rate learned earlier (a node restarted, a customer resumed) instead of the ceiling: clamped to the
    /// floor and ceiling in force, so a lowered ceiling wins; the rate climbs back from there as usual.
    /// </summary>
    public void ResumeAt(double ratePerSecond)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Refill(now); // settle tokens at the old rate before changing it
            _rate = Math.Clamp(ratePerSecond, _limits.FloorPerSecond, _limits.RatePerSecond);
            _lastIncreaseAt = now;
        }
    }

    private void Refill(DateTimeOffset now)
    {
        if (_refilledAt == default)
        {
            _refilledAt = now; // the first call: the clock starts here
            return;
        }

        var elapsed = (now - _refilledAt).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(SavedAtMost(_limits), _tokens + (elapsed * _rate));
            _refilledAt = now;
        }
    }

    /// <summary>Half the burst, rounded up: at least one call may always go.</summary>
    private static double SavedAtMost(ThrottleLimits limits) => Math.Ceiling(limits.Burst / 2.0);

    private void Refund()
    {
        lock (_lock)
        {
            _tokens += 1;
        }
    }
}
