namespace Archiver.Dropbox.Emulator.Admin;

/// <summary><c>POST /_emulator/accounts</c>: a new account; unset limits mean unlimited.</summary>
internal sealed record CreateAccountRequest(
    string? Name,
    string? AccessToken,
    double? RatePerSecond,
    int? Burst,
    bool? RejectAllWrites,
    double? RetryAfterSeconds,
    long? QuotaBytes);

/// <summary>
/// <c>PUT /_emulator/accounts/{name}/limits</c>: only the fields given change. A negative
/// <see cref="QuotaBytes"/> removes the quota.
/// </summary>
internal sealed record LimitsRequest(
    double? RatePerSecond,
    int? Burst,
    bool? RejectAllWrites,
    double? RetryAfterSeconds,
    long? QuotaBytes)
{
    public AccountLimits ApplyTo(AccountLimits current) => new(
        RatePerSecond ?? current.RatePerSecond,
        Burst ?? current.Burst,
        RejectAllWrites ?? current.RejectAllWrites,
        RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : current.RetryAfter,
        QuotaBytes switch
        {
            null => current.QuotaBytes,
            < 0 => null,
            { } quota => quota,
        });
}

/// <summary>An account as the admin endpoints show it (never its token).</summary>
internal sealed record AccountView(
    string Name,
    double RatePerSecond,
    int Burst,
    bool RejectAllWrites,
    double RetryAfterSeconds,
    long? QuotaBytes)
{
    public static AccountView Of(EmulatorAccount account)
    {
        var limits = account.Limits;
        return new(account.Name, limits.RatePerSecond, limits.Burst, limits.RejectAllWrites, limits.RetryAfter.TotalSeconds, limits.QuotaBytes);
    }
}
