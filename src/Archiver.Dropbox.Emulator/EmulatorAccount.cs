using System.Collections.Concurrent;
using Archiver.Dropbox.Emulator.Accounts;
using Archiver.Dropbox.Emulator.Files;
using Archiver.Dropbox.Emulator.Sessions;

namespace Archiver.Dropbox.Emulator;

/// <summary>
/// One emulated Dropbox account: its tokens, its limits, its files, and the failures it was told to produce.
/// Besides its static <see cref="AccessToken"/>, an account with a <see cref="RefreshToken"/> answers to the
/// short-lived access tokens <c>/oauth2/token</c> issued from it.
/// </summary>
public sealed class EmulatorAccount
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset>.AlternateLookup<ReadOnlySpan<char>> _issuedSpan;
    private volatile AccountLimits _limits;
    private volatile bool _refreshTokenRevoked;

    internal EmulatorAccount(
        string name, string accessToken, string? refreshToken, AccountLimits limits, FileTree tree, TimeProvider time)
    {
        Name = name;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        _time = time;
        _issuedSpan = _issued.GetAlternateLookup<ReadOnlySpan<char>>();
        Tree = tree;
        Sessions = new UploadSessions(time);
        Bucket = new TokenBucket(time);
        _limits = limits.Validated();
        Bucket.Configure(limits.RatePerSecond, limits.Burst);
    }

    public string Name { get; }

    /// <summary>The account's static access token; it never expires unless <see cref="ExpireAccessToken"/> is called.</summary>
    public string AccessToken { get; }

    /// <summary>The offline refresh token <c>/oauth2/token</c> exchanges for access tokens, when the account has one.</summary>
    public string? RefreshToken { get; }

    /// <summary>Whether <see cref="RevokeRefreshToken"/> was called.</summary>
    public bool IsRefreshTokenRevoked => _refreshTokenRevoked;

    /// <summary>The account's limits; setting them takes effect at once and refills the token bucket.</summary>
    public AccountLimits Limits
    {
        get => _limits;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _limits = value.Validated();
            Bucket.Configure(value.RatePerSecond, value.Burst);
        }
    }

    internal FileTree Tree { get; }

    internal TokenBucket Bucket { get; }

    internal UploadSessions Sessions { get; }

    internal AccountCounters Counters { get; } = new();

    internal FaultPlan Faults { get; } = new();

    internal WriteLock WriteLock { get; } = new();

    /// <summary>Whether a commit holds the namespace write lock right now (only ever with a <see cref="AccountLimits.WriteTime"/>).</summary>
    public bool IsWriteLocked => WriteLock.IsHeld;

    internal BatchJobs BatchJobs { get; } = new();

    /// <summary>The account's files, sorted by lowercase path.</summary>
    public IReadOnlyList<EmulatorFile> Files() => Tree.Files();

    public AccountStats Stats() => Counters.Snapshot();

    /// <summary>
    /// From now on every call with the static access token, or with an access token issued so far, answers 401
    /// <c>expired_access_token</c>. Access tokens issued later by a refresh work until their own lifetime ends.
    /// </summary>
    public void ExpireAccessToken()
    {
        Faults.ExpireToken();
        foreach (var token in _issued.Keys)
        {
            _issued[token] = DateTimeOffset.MinValue;
        }
    }

    /// <summary>
    /// Revokes the refresh token, as the user disconnecting the app does: <c>/oauth2/token</c> answers
    /// <c>invalid_grant</c> for it, and the access tokens issued from it answer 401 <c>invalid_access_token</c>.
    /// </summary>
    public void RevokeRefreshToken()
    {
        _refreshTokenRevoked = true;
        _issued.Clear();
    }

    /// <summary>Records a newly issued access token, valid for <paramref name="lifetime"/>.</summary>
    internal void Issue(string accessToken, TimeSpan lifetime)
    {
        _issued[accessToken] = _time.GetUtcNow() + lifetime;
        Counters.TokenRefresh();
    }

    /// <summary>Whether <paramref name="token"/>, one the registry maps to this account, may be used now.</summary>
    internal TokenCheck Check(ReadOnlySpan<char> token)
    {
        if (token.SequenceEqual(AccessToken))
        {
            return Faults.TokenExpired ? TokenCheck.Expired : TokenCheck.Valid;
        }

        if (!_issuedSpan.TryGetValue(token, out var expiresAt))
        {
            return TokenCheck.Invalid;
        }

        return _time.GetUtcNow() >= expiresAt ? TokenCheck.Expired : TokenCheck.Valid;
    }

    /// <summary>The next <paramref name="count"/> admitted calls answer <paramref name="statusCode"/> with an HTML body.</summary>
    public void FailNextRequests(int count, int statusCode = 503)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 500);
        Faults.FailNextRequests(count, statusCode);
    }

    /// <summary>
    /// The next <paramref name="count"/> commits (uploads, finishes, batch commits) meet write-lock contention,
    /// answered in <paramref name="shape"/>: by default 409 <c>too_many_write_operations</c>. With
    /// <see cref="WriteContentionShape.EntryFailure"/> a batch commit applies its first half (rounded down) and fails the rest.
    /// </summary>
    public void ContendNextWrites(int count, WriteContentionShape shape = WriteContentionShape.Conflict409) =>
        Faults.ContendNextWrites(count, shape);

    /// <summary>Holds every batch commit before it touches the files until the returned hold is released.</summary>
    public BatchCommitHold HoldBatchCommits() => Faults.HoldBatchCommits();

    /// <summary>
    /// The next <paramref name="count"/> <c>upload_session/append_v2</c> calls are applied, then their connection is
    /// aborted before the answer is sent, as when an answer is lost on the way back.
    /// </summary>
    public void DropNextAppendResponses(int count) => Faults.DropNextAppendResponses(count);
}
