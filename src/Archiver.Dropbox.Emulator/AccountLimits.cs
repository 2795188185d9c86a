namespace Archiver.Dropbox.Emulator;

/// <summary>How an emulated account pushes back, and which faults it injects.</summary>
/// <param name="RatePerSecond">Calls per second the account's token bucket refills with; 0 or less means unlimited.</param>
/// <param name="Burst">How many calls the bucket holds when full (at least 1).</param>
/// <param name="RejectAllWrites">When true, every upload is answered 429 <c>too_many_requests</c>.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> sent with <paramref name="RejectAllWrites"/>; 1 s when left at zero.</param>
/// <param name="QuotaBytes">Storage space; an upload that would exceed it fails with <c>insufficient_space</c>. Null: unlimited.</param>
public sealed record AccountLimits(
    double RatePerSecond = 0,
    int Burst = 1,
    bool RejectAllWrites = false,
    TimeSpan RetryAfter = default,
    long? QuotaBytes = null)
{
    public static AccountLimits Unlimited { get; } = new();

    public int Burst { get; init; } = Math.Max(1, Burst);

    public TimeSpan RetryAfter { get; init; } = RetryAfter > TimeSpan.Zero ? RetryAfter : TimeSpan.FromSeconds(1);

    public bool IsRateLimited => RatePerSecond > 0;

    /// <summary>
    /// How long every commit (upload, finish, each batch commit) holds the account's namespace write lock. A commit
    /// that finds the lock held is refused with <c>too_many_write_operations</c> in the <see cref="Contention"/>
    /// shape. Zero (the default): commits never contend.
    /// </summary>
    public TimeSpan WriteTime { get; init; }

    /// <summary>How write-lock contention is answered.</summary>
    public WriteContentionShape Contention { get; init; } = WriteContentionShape.RateLimit429;

    /// <summary>Added to every admitted API call before it is handled.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>A further random delay between zero and this, per admitted call.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>The share (0-1) of admitted calls answered 503 before they take any effect.</summary>
    public double ServerErrorShare { get; init; }

    /// <summary>
    /// The share (0-1) of admitted calls whose connection is aborted after part of the request body was read,
    /// before they take any effect.
    /// </summary>
    public double DropShare { get; init; }

    /// <summary>Throws when a fault setting is out of range.</summary>
    public AccountLimits Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteTime, TimeSpan.Zero, nameof(WriteTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(Latency, TimeSpan.Zero, nameof(Latency));
        ArgumentOutOfRangeException.ThrowIfLessThan(LatencyJitter, TimeSpan.Zero, nameof(LatencyJitter));
        if (ServerErrorShare is < 0 or > 1 || double.IsNaN(ServerErrorShare))
        {
            throw new ArgumentOutOfRangeException(nameof(ServerErrorShare), ServerErrorShare, "A share lies between 0 and 1.");
        }

        if (DropShare is < 0 or > 1 || double.IsNaN(DropShare))
        {
            throw new ArgumentOutOfRangeException(nameof(DropShare), DropShare, "A share lies between 0 and 1.");
        }

        if (!Enum.IsDefined(Contention))
        {
            throw new ArgumentOutOfRangeException(nameof(Contention), Contention, "Unknown contention shape.");
        }

        return this;
    }
}
