namespace Archiver.Core.Pipeline;

/// <summary>
/// One customer's pace towards Dropbox: a token bucket shared by all its upload workers, at the rate its
/// <see cref="IRateController"/> sets (<see cref="RateController"/>: the limit Dropbox really allows, learned from its
/// 429s, never above the configured ceiling).
/// <list type="bullet">
/// <item>Each call waits for a token; tokens refill at the rate in force up to half the burst. The burst is
/// what Dropbox tolerates at once; saving up all of it would, after any quiet spell or stall, spend Dropbox's own
/// bucket to the last token, and from then on the first jitter in arrival times meets a 429 (whose pause costs a
/// second of throughput). The other half stays with Dropbox as slack.</item>
/// <item>A new throttle holds one token and refills from its first call on, not from its creation: it cannot know
/// what was spent against the customer's limit just before (by a pipeline that crashed, a node that failed over).</item>
/// <item>A 429 pauses the whole customer until its Retry-After (every worker, including those already waiting); the
/// first of a pause window tells the rate controller, which learns from it.</item>
/// </list>
/// </summary>
public sealed class Throttle
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly IRateController _controller;
    private ThrottleLimits _limits;
    private double _tokens;
    private DateTimeOffset _refilledAt;
    private DateTimeOffset _pausedUntil;
    private long _pauseGeneration;

    public Throttle(ThrottleLimits limits, TimeProvider time, IRateController? controller = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _time = time;
        _limits = limits;
        _controller = controller ?? new RateController(limits);
        _tokens = Math.Min(1, limits.Burst); // _refilledAt stays unset until the first call (see Refill)
    }

    /// <summary>The rate in force now, between the floor and the configured ceiling.</summary>
    public double CurrentRate
    {
        get { lock (_lock) { return _controller.RateAt(_time.GetUtcNow()); } }
    }

    /// <summary>The limit learned from Dropbox's 429s; null while Dropbox has never pushed back.</summary>
    public double? LearnedLimit
    {
        get { lock (_lock) { return _controller.LearnedLimit; } }
    }

    /// <summary>The configured ceiling in force.</summary>
    public double CeilingPerSecond
    {
        get { lock (_lock) { return _limits.RatePerSecond; } }
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
                    wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _controller.RateAt(now));
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

    /// <summary>Dropbox accepted a call.</summary>
    public void OnAccepted()
    {
        lock (_lock)
        {
            _controller.Accepted(_time.GetUtcNow());
        }
    }

    /// <summary>
    /// Dropbox answered 429: pause every call of this customer for <paramref name="retryAfter"/>; the first 429 of a
    /// pause window is the rate controller's to learn from.
    /// </summary>
    /// <returns>True when this began a new pause window (worth journaling), false when it extended one.</returns>
    public bool OnRateLimited(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var newWindow = now >= _pausedUntil;
            Refill(now); // settle tokens at the rate before the pushback
            var until = now + retryAfter;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            if (newWindow)
            {
                _controller.RateLimited(now, _pausedUntil);
            }

            // Nothing is saved up during the pause either: when it ends, calls resume at the new rate, not as a burst
            // that would meet the next 429 at once.
            _tokens = Math.Min(_tokens, 0);
            _refilledAt = _pausedUntil;
            _pauseGeneration++;
            return newWindow;
        }
    }

    /// <summary>Applies new limits (hot reload): what was learned about Dropbox's limit stays, within the new bounds.</summary>
    public void UpdateLimits(ThrottleLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Refill(now);
            _limits = limits;
            _controller.Apply(limits, now);
            _tokens = Math.Min(_tokens, SavedAtMost(limits));
        }
    }

    /// <summary>
    /// Starts from a limit learned earlier (a node restarted, a customer resumed) instead of the ceiling: the rate
    /// controller holds just below it, within the floor and ceiling in force, so a lowered ceiling wins.
    /// </summary>
    public void ResumeAt(double learnedLimit)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Refill(now); // settle tokens at the old rate before changing it
            _controller.ResumeAt(learnedLimit, now);
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
            _tokens = Math.Min(SavedAtMost(_limits), _tokens + (elapsed * _controller.RateAt(now)));
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
