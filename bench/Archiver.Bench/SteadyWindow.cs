using System.Diagnostics;

namespace Archiver.Bench;

/// <summary>
/// Times the middle of a drain, from a tenth of its items done to nine tenths, so that neither its start (a node
/// taking its customers' leases one after another) nor its last stragglers weigh on the rate. The node and the
/// ceilings it is compared with (<see cref="Ceilings"/>) are timed alike.
/// </summary>
internal sealed class SteadyWindow(long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private long _done;
    private (TimeSpan At, long Done)? _from;
    private (TimeSpan At, long Done)? _to;

    /// <summary>Whether the window has closed: nine tenths of the items are done.</summary>
    public bool Closed => _to is not null;

    /// <summary>Items done per second within the window, or NaN when it has not closed.</summary>
    public double ItemsPerSecond => _from is { } from && _to is { } to && to.At > from.At
        ? (to.Done - from.Done) / (to.At - from.At).TotalSeconds
        : double.NaN;

    /// <summary>Counts <paramref name="count"/> more items done.</summary>
    public void Add(long count) => Observe(Interlocked.Add(ref _done, count));

    /// <summary>Notes that <paramref name="done"/> items are done by now.</summary>
    public void Observe(long done)
    {
        var now = _clock.Elapsed;
        lock (_lock)
        {
            if (_from is null && done * 10 >= total)
            {
                _from = (now, done);
            }

            if (_to is null && done * 10 >= total * 9)
            {
                _to = (now, done);
            }
        }
    }
}
