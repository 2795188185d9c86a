using Archiver.Core.Customers;

namespace Archiver.Core.Pipeline;

/// <summary>A customer's live counters on this node at one instant (counts since the node started).</summary>
public sealed record CustomerActivitySnapshot(
    CustomerId Customer,
    string Phase,
    long Archived,
    long Failed,
    long Retried,
    long RateLimited,
    long Bytes,
    long Restarts,
    double? CurrentRate,
    DateTimeOffset? PausedUntil,
    string? LastError)
{
    /// <summary>429 answers met in the last 60 seconds.</summary>
    public long RateLimitedLastMinute { get; init; }

    /// <summary>Items archived per second, averaged over the last few whole seconds.</summary>
    public double ArchivedPerSecond { get; init; }

    /// <summary>What holds the customer at its pace (<see cref="LimitedByRule"/>); null when it does not run here.</summary>
    public LimitedBy? LimitedBy { get; init; }

    /// <summary>The running stream's recent figures behind <see cref="LimitedBy"/>; null when no stream runs.</summary>
    public PipelineLoad? Load { get; init; }
}
