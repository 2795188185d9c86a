namespace Archiver.Dropbox.Emulator.Admin;

/// <summary><c>POST /_emulator/accounts</c>: a new account; unset limits mean unlimited.</summary>
internal sealed record CreateAccountRequest(
    string? Name,
    string? AccessToken,
    double? RatePerSecond,
    int? Burst,
    bool? RejectAllWrites,
    double? RetryAfterSeconds,
    long? QuotaBytes,
    double? WriteTimeMs = null,
    string? Contention = null,
    double? LatencyMs = null,
    double? LatencyJitterMs = null,
    double? ServerErrorShare = null,
    double? DropShare = null)
{
    public LimitsRequest Limits => new(
        RatePerSecond, Burst, RejectAllWrites, RetryAfterSeconds, QuotaBytes, WriteTimeMs, Contention, LatencyMs, LatencyJitterMs, ServerErrorShare, DropShare);
}

/// <summary>
/// <c>PUT /_emulator/accounts/{name}/limits</c>: only the fields given change. A negative
/// <see cref="QuotaBytes"/> removes the quota. <see cref="Contention"/> is <c>429</c>, <c>409</c> or <c>entry</c>;
/// shares lie between 0 and 1. Out-of-range values are refused with 400.
/// </summary>
internal sealed record LimitsRequest(
    double? RatePerSecond,
    int? Burst,
    bool? RejectAllWrites,
    double? RetryAfterSeconds,
    long? QuotaBytes,
    double? WriteTimeMs = null,
    string? Contention = null,
    double? LatencyMs = null,
    double? LatencyJitterMs = null,
    double? ServerErrorShare = null,
    double? DropShare = null)
{
    /// <summary>The limits with the given fields changed; throws <see cref="ArgumentException"/> for a bad value.</summary>
    public AccountLimits ApplyTo(AccountLimits current) => new AccountLimits(
        RatePerSecond ?? current.RatePerSecond,
        Burst ?? current.Burst,
        RejectAllWrites ?? current.RejectAllWrites,
        RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : current.RetryAfter,
        QuotaBytes switch
        {
            null => current.QuotaBytes,
            < 0 => null,
            { } quota => quota,
        })
    {
        WriteTime = WriteTimeMs is { } writeMs ? TimeSpan.FromMilliseconds(writeMs) : current.WriteTime,
        Contention = Contention is { } shape ? ParseContention(shape) : current.Contention,
        Latency = LatencyMs is { } latencyMs ? TimeSpan.FromMilliseconds(latencyMs) : current.Latency,
        LatencyJitter = LatencyJitterMs is { } jitterMs ? TimeSpan.FromMilliseconds(jitterMs) : current.LatencyJitter,
        ServerErrorShare = ServerErrorShare ?? current.ServerErrorShare,
        DropShare = DropShare ?? current.DropShare,
    }.Validated();

    /// <summary><c>429</c>, <c>409</c> or <c>entry</c> (also the enum's names).</summary>
    public static WriteContentionShape ParseContention(string text) => text.Trim().ToLowerInvariant() switch
    {
        "429" or "ratelimit429" => WriteContentionShape.RateLimit429,
        "409" or "conflict409" => WriteContentionShape.Conflict409,
        "entry" or "entryfailure" => WriteContentionShape.EntryFailure,
        _ => throw new ArgumentException($"Unknown contention shape '{text}'; expected 429, 409 or entry.", nameof(text)),
    };
}

/// <summary>An account as the admin endpoints show it (never its token).</summary>
internal sealed record AccountView(
    string Name,
    double RatePerSecond,
    int Burst,
    bool RejectAllWrites,
    double RetryAfterSeconds,
    long? QuotaBytes,
    double WriteTimeMs,
    string Contention,
    double LatencyMs,
    double LatencyJitterMs,
    double ServerErrorShare,
    double DropShare)
{
    public static AccountView Of(EmulatorAccount account)
    {
        var limits = account.Limits;
        return new(
            account.Name,
            limits.RatePerSecond,
            limits.Burst,
            limits.RejectAllWrites,
            limits.RetryAfter.TotalSeconds,
            limits.QuotaBytes,
            limits.WriteTime.TotalMilliseconds,
            limits.Contention switch
            {
                WriteContentionShape.RateLimit429 => "429",
                WriteContentionShape.Conflict409 => "409",
                _ => "entry",
            },
            limits.Latency.TotalMilliseconds,
            limits.LatencyJitter.TotalMilliseconds,
            limits.ServerErrorShare,
            limits.DropShare);
    }
}
