namespace Archiver.Core.Pipeline;

/// <summary>
/// Counts calls in slots of a tenth of a second over the last <see cref="Span"/>, to tell how fast Dropbox accepted
/// them over any recent stretch, at the cost of one array and no allocation per call. Not thread-safe: its owner locks.
/// </summary>
public sealed class CallMeter
{
    /// <summary>How far back the meter remembers.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromSeconds(10);

    private static readonly long SlotTicks = TimeSpan.TicksPerSecond / 10;
    private int[] _slots = []; // allocated at the first call: a customer that never calls costs nothing here
    private long _newest = long.MinValue; // the slot number of the last call counted

    /// <summary>Counts one call at <paramref name="now"/>.</summary>
    public void Add(DateTimeOffset now)
    {
        if (_slots.Length == 0)
        {
            _slots = new int[(int)(Span.Ticks / SlotTicks)];
        }

        var slot = now.UtcTicks / SlotTicks;
        Advance(slot);
        _slots[Index(slot)]++;
    }

    /// <summary>
    /// The highest rate, over any stretch from a slot boundary after <paramref name="from"/> (and at least
    /// <paramref name="shortest"/> long) until <paramref name="now"/>, of the calls counted in it less
    /// <paramref name="slack"/>, with that stretch's length; null when no stretch counted more than the slack.
    /// </summary>
    public (double Rate, TimeSpan Over)? HighestRateSince(DateTimeOffset from, DateTimeOffset now, double slack, TimeSpan shortest)
    {
        var last = now.UtcTicks / SlotTicks;
        Advance(last);
        var first = Math.Max(from.UtcTicks / SlotTicks, last - _slots.Length + 1);
        (double Rate, TimeSpan Over)? highest = null;
        var count = 0;
        for (var slot = last; slot >= first; slot--)
        {
            count += _slots[Index(slot)];
            var seconds = (now.UtcTicks - Math.Max(slot * SlotTicks, from.UtcTicks)) / (double)TimeSpan.TicksPerSecond;
            if (seconds >= shortest.TotalSeconds && count > slack && (count - slack) / seconds is var rate && rate > (highest?.Rate ?? 0))
            {
                highest = (rate, TimeSpan.FromSeconds(seconds));
            }
        }

        return highest;
    }

    /// <summary>Empties the slots between the last call counted and <paramref name="slot"/>: nothing was counted in them.</summary>
    private void Advance(long slot)
    {
        if (slot <= _newest)
        {
            return;
        }

        if (_newest == long.MinValue || slot - _newest >= _slots.Length)
        {
            Array.Clear(_slots);
        }
        else
        {
            for (var skipped = _newest + 1; skipped <= slot; skipped++)
            {
                _slots[Index(skipped)] = 0;
            }
        }

        _newest = slot;
    }

    private int Index(long slot) => (int)(slot % _slots.Length);
}
