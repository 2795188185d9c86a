namespace Archiver.Core.Pipeline;

/// <summary>
/// Measures where one stream's items wait, for its <see cref="PipelineLoad"/>: how many of its upload slots are busy
/// (and whether all are), how many of those wait for the node's <see cref="UploadBudget"/>, and whether its source waits
/// for due work. Whatever is left — slots free while there is work — is the throttle's doing.
/// <para>
/// Cheap enough for every item: that state and the moment it last changed are one 64-bit word, changed by
/// compare-and-swap; each change closes the interval since the one before into four time integrals (time with every
/// slot busy, slot time, slot time waiting for the budget, time waiting for work) with Interlocked adds. No lock and no
/// allocation per item, and a long upload counts while it runs, not when it ends. Two counters around every change
/// (begun, ended) let a reader take the word and the integrals as of one instant: it retries while a change is under
/// way; writers never wait.
/// </para>
/// <para>
/// The recent window needs the integrals as they were <see cref="Window"/> ago. The first change or read in each
/// wall-clock second keeps a sample of them in a small ring (at most about one small allocation per second), with the
/// state that held up to that moment. A read finds the first sample after the window's start: when that state already
/// held then (the usual case, and always when nothing changed for a whole window), the integrals at the start follow
/// exactly; otherwise the read measures from the newest sample before it, a second or two further back. A stream
/// younger than the window is measured since it started.
/// </para>
/// </summary>
public sealed class PipelineLoadMeter
{
    /// <summary>How far back <see cref="Read"/> looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private const int CountBits = 10; // up to 1,023 slots: parallelism is at most TuningBounds.MaxParallelism
    private const long CountMask = (1L << CountBits) - 1;
    private const int BudgetShift = CountBits;
    private const int SourceShift = 2 * CountBits;
    private const int TimeShift = SourceShift + 1;
    private const long TimeMask = (1L << (64 - TimeShift)) - 1; // 43 bits of microseconds (101 days); intervals are taken modulo that
    private const long MicrosPerSecond = 1_000_000;
    private const int HistorySeconds = 16; // the window, the slack of one sample a second, and room to spare
    private const int ReadAttempts = 100;

    private readonly TimeProvider _time;
    private readonly long _startTicks;
    private readonly long _windowMicros = (long)Window.TotalMicroseconds;
    private readonly Sample?[] _history = new Sample?[HistorySeconds];
    private long _state;
    private long _begun;
    private long _ended;
    private long _fullMicros;
    private long _slotMicros;
    private long _budgetMicros;
    private long _idleMicros;
    private long _finished;
    private long _sampledSecond = -1;

    /// <param name="parallelism">The stream's upload slots.</param>
    /// <param name="time">The clock, the throttle's: a test moves it by hand.</param>
    public PipelineLoadMeter(int parallelism, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, (int)CountMask);
        Parallelism = parallelism;
        _time = time;
        _startTicks = time.GetUtcNow().UtcTicks;
    }

    public int Parallelism { get; }

    /// <summary>An upload took one of the stream's slots.</summary>
    public void UploadStarted() => Change(slots: 1, budget: 0, waitingForWork: null, finished: false);

    /// <summary>An upload gave its slot back, whatever its outcome.</summary>
    public void UploadFinished() => Change(slots: -1, budget: 0, waitingForWork: null, finished: true);

    /// <summary>An upload holding a slot waits for a place in the node's budget.</summary>
    public void BudgetWaitStarted() => Change(slots: 0, budget: 1, waitingForWork: null, finished: false);

    /// <summary>The wait for the node's budget is over (a place taken, or the upload cancelled).</summary>
    public void BudgetWaitEnded() => Change(slots: 0, budget: -1, waitingForWork: null, finished: false);

    /// <summary>The source starts (true) or stops (false) waiting for due work.</summary>
    public void WaitingForWork(bool waiting) => Change(slots: 0, budget: 0, waitingForWork: waiting, finished: false);

    /// <summary>The figures of the recent window.</summary>
    public PipelineLoad Read()
    {
        TryRead(ReadAttempts, out var reading); // after that many tries a change is always under way: take the last, nearly right
        var current = reading.At(NowMicros(), Parallelism);
        Keep(current);
        return Between(StartOfWindow(current), current, SlotsOf(reading.State));
    }

    private void Change(int slots, int budget, bool? waitingForWork, bool finished)
    {
        Interlocked.Increment(ref _begun);
        long before;
        long after;
        long now;
        long elapsed;
        do
        {
            before = Volatile.Read(ref _state);
            now = NowMicros();
            elapsed = Elapsed(before, now);
            after = Pack(
                elapsed > 0 ? now : TimeOf(before), // a clock that stood still or stepped back: no time passes, and none runs backwards
                SlotsOf(before) + slots,
                BudgetWaitsOf(before) + budget,
                waitingForWork ?? WaitsForWork(before));
        }
        while (Interlocked.CompareExchange(ref _state, after, before) != before);

        // The interval since the state's last change passed in the state before this one: only this writer closes it.
        if (elapsed > 0)
        {
            var busy = SlotsOf(before);
            if (busy > 0)
            {
                Interlocked.Add(ref _slotMicros, busy * elapsed);
            }

            if (busy >= Parallelism)
            {
                Interlocked.Add(ref _fullMicros, elapsed);
            }

            if (BudgetWaitsOf(before) is var waiting and > 0)
            {
                Interlocked.Add(ref _budgetMicros, waiting * elapsed);
            }

            if (WaitsForWork(before))
            {
                Interlocked.Add(ref _idleMicros, elapsed);
            }
        }

        if (finished)
        {
            Interlocked.Increment(ref _finished);
        }

        Interlocked.Increment(ref _ended);
        if (elapsed > 0)
        {
            KeepOncePerSecond(before, after, now);
        }
    }

    /// <summary>
    /// The state word and the integrals as of one instant: no change was under way from before the first read to after
    /// the last. False when every attempt met one; <paramref name="reading"/> is then the last attempt's.
    /// </summary>
    private bool TryRead(int attempts, out Reading reading)
    {
        var spin = default(SpinWait);
        for (var attempt = 1; ; attempt++)
        {
            var ended = Volatile.Read(ref _ended);
            reading = new Reading(
                Volatile.Read(ref _state),
                Volatile.Read(ref _fullMicros),
                Volatile.Read(ref _slotMicros),
                Volatile.Read(ref _budgetMicros),
                Volatile.Read(ref _idleMicros),
                Volatile.Read(ref _finished));
            if (Volatile.Read(ref _begun) == ended)
            {
                return true;
            }

            if (attempt >= attempts)
            {
                return false;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>
    /// The first change in a new second keeps a sample: the integrals at that change, and the state that held up to it
    /// (so a later window may start anywhere in that stretch). A change that meets another under way leaves it to the next.
    /// </summary>
    private void KeepOncePerSecond(long before, long after, long now)
    {
        if (now / MicrosPerSecond <= Volatile.Read(ref _sampledSecond) || !TryRead(1, out var reading) || reading.State != after)
        {
            return;
        }

        Keep(new Sample(now, reading.Full, reading.Slot, reading.Budget, reading.Idle, reading.Finished, Held: before));
    }

    private void Keep(Sample sample)
    {
        var second = sample.Micros / MicrosPerSecond;
        if (second <= Volatile.Read(ref _sampledSecond))
        {
            return;
        }

        Volatile.Write(ref _history[second % HistorySeconds], sample);
        Volatile.Write(ref _sampledSecond, second); // two racing writers both keep a true sample of the same second
    }

    /// <summary>
    /// The integrals a window before <paramref name="current"/>: exact when the first sample after that moment says which
    /// state held there; else the newest sample before it (a window up to a second or two longer); the stream's start
    /// while it is younger than a window.
    /// </summary>
    private Sample StartOfWindow(Sample current)
    {
        var target = current.Micros - _windowMicros;
        if (target <= 0)
        {
            return Sample.Start;
        }

        var firstAfter = current;
        Sample? lastBefore = null;
        for (var i = 0; i < _history.Length; i++)
        {
            if (Volatile.Read(ref _history[i]) is not { } sample || sample.Micros > current.Micros)
            {
                continue; // an empty slot, or kept by a racing writer after this read began
            }

            if (sample.Micros >= target && sample.Micros < firstAfter.Micros)
            {
                firstAfter = sample;
            }
            else if (sample.Micros <= target && (lastBefore is null || sample.Micros > lastBefore.Micros))
            {
                lastBefore = sample;
            }
        }

        return firstAfter.HeldSince <= target ? firstAfter.Back(firstAfter.Micros - target, Parallelism)
            : lastBefore ?? firstAfter.Back(firstAfter.Micros - firstAfter.HeldSince, Parallelism);
    }

    private PipelineLoad Between(Sample from, Sample to, int slotsNow)
    {
        var micros = to.Micros - from.Micros;
        if (micros <= 0)
        {
            return new PipelineLoad(Parallelism, 0, slotsNow, slotsNow >= Parallelism ? 1 : 0, null, 0, 0);
        }

        var slotMicros = to.Slot - from.Slot;
        var finished = to.Finished - from.Finished;
        double? uploadSeconds = slotMicros <= 0 ? null
            : slotMicros / (double)(finished > 0 ? finished : Math.Max(slotsNow, 1)) / MicrosPerSecond;
        return new PipelineLoad(
            Parallelism,
            micros / (double)MicrosPerSecond,
            Math.Clamp(slotMicros / (double)micros, 0, Parallelism),
            Share(to.Full - from.Full, micros),
            uploadSeconds,
            slotMicros <= 0 ? 0 : Share(to.Budget - from.Budget, slotMicros),
            Share(to.Idle - from.Idle, micros));
    }

    private static double Share(long part, long whole) => Math.Clamp(part / (double)whole, 0, 1);

    /// <summary>Microseconds since this meter was made, on the throttle's clock (never negative).</summary>
    private long NowMicros() => Math.Max(0, (_time.GetUtcNow().UtcTicks - _startTicks) / TimeSpan.TicksPerMicrosecond);

    /// <summary>Microseconds from the state's last change to <paramref name="now"/>, modulo the word's range; 0 when the clock stepped back.</summary>
    private static long Elapsed(long state, long now)
    {
        var elapsed = ((now & TimeMask) - TimeOf(state)) & TimeMask;
        return elapsed > TimeMask / 2 ? 0 : elapsed;
    }

    private static long Pack(long micros, int slots, int budgetWaits, bool waitingForWork) =>
        ((micros & TimeMask) << TimeShift)
        | ((waitingForWork ? 1L : 0L) << SourceShift)
        | ((Math.Clamp(budgetWaits, 0, (int)CountMask) & CountMask) << BudgetShift)
        | (Math.Clamp(slots, 0, (int)CountMask) & CountMask);

    private static long TimeOf(long state) => (long)((ulong)state >> TimeShift);

    private static int SlotsOf(long state) => (int)(state & CountMask);

    private static int BudgetWaitsOf(long state) => (int)((state >> BudgetShift) & CountMask);

    private static bool WaitsForWork(long state) => ((state >> SourceShift) & 1) != 0;

    /// <summary>The state word and the integrals up to the word's last change.</summary>
    private readonly record struct Reading(long State, long Full, long Slot, long Budget, long Idle, long Finished)
    {
        /// <summary>The integrals at <paramref name="now"/>: the state has not changed since its last change, so its interval runs on.</summary>
        public Sample At(long now, int parallelism)
        {
            var elapsed = Elapsed(State, now);
            var busy = SlotsOf(State);
            return new Sample(
                now,
                Full + (busy >= parallelism ? elapsed : 0),
                Slot + (busy * elapsed),
                Budget + (BudgetWaitsOf(State) * elapsed),
                Idle + (WaitsForWork(State) ? elapsed : 0),
                Finished,
                Held: State);
        }
    }

    /// <summary>
    /// The integrals at one moment, in microseconds since the meter was made, and the state word that held from its own
    /// last change up to that moment.
    /// </summary>
    private sealed record Sample(long Micros, long Full, long Slot, long Budget, long Idle, long Finished, long Held)
    {
        /// <summary>The meter's start: nothing measured, nothing busy.</summary>
        public static Sample Start { get; } = new(0, 0, 0, 0, 0, 0, Held: 0);

        /// <summary>Since when <see cref="Held"/> held.</summary>
        public long HeldSince => Micros - Elapsed(Held, Micros);

        /// <summary>The integrals <paramref name="micros"/> earlier (at most back to <see cref="HeldSince"/>): only <see cref="Held"/> ran in between.</summary>
        public Sample Back(long micros, int parallelism)
        {
            var busy = SlotsOf(Held);
            return this with
            {
                Micros = Micros - micros,
                Full = Full - (busy >= parallelism ? micros : 0),
                Slot = Slot - (busy * micros),
                Budget = Budget - (BudgetWaitsOf(Held) * micros),
                Idle = Idle - (WaitsForWork(Held) ? micros : 0),
            };
        }
    }
}
