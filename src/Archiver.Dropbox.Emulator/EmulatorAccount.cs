using Archiver.Dropbox.Emulator.Accounts;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator;

/// <summary>One emulated Dropbox account: its token, its limits, its files, and the failures it was told to produce.</summary>
public sealed class EmulatorAccount
{
    private volatile AccountLimits _limits;

    internal EmulatorAccount(string name, string accessToken, AccountLimits limits, FileTree tree, TimeProvider time)
    {
        Name = name;
        AccessToken = accessToken;
        Tree = tree;
        Bucket = new TokenBucket(time);
        _limits = limits;
        Bucket.Configure(limits.RatePerSecond, limits.Burst);
    }

    public string Name { get; }

    public string AccessToken { get; }

    /// <summary>The account's limits; setting them takes effect at once and refills the token bucket.</summary>
    public AccountLimits Limits
    {
        get => _limits;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _limits = value;
            Bucket.Configure(value.RatePerSecond, value.Burst);
        }
    }

    internal FileTree Tree { get; }

    internal TokenBucket Bucket { get; }

    internal AccountCounters Counters { get; } = new();

    internal FaultPlan Faults { get; } = new();

    /// <summary>The account's files, sorted by lowercase path.</summary>
    public IReadOnlyList<EmulatorFile> Files() => Tree.Files();

    public AccountStats Stats() => Counters.Snapshot();

    /// <summary>From now on every call answers 401 <c>expired_access_token</c>.</summary>
    public void ExpireAccessToken() => Faults.ExpireToken();

    /// <summary>The next <paramref name="count"/> admitted calls answer <paramref name="statusCode"/> with an HTML body.</summary>
    public void FailNextRequests(int count, int statusCode = 503)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 500);
        Faults.FailNextRequests(count, statusCode);
    }

    /// <summary>The next <paramref name="count"/> uploads answer 409 <c>path/too_many_write_operations</c>.</summary>
    public void ContendNextWrites(int count) => Faults.ContendNextWrites(count);
}
