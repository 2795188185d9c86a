namespace Archiver.Dropbox.Emulator;

/// <summary>How an emulated account pushes back.</summary>
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
}
