using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>
/// The emulated accounts, found by name (inspection), by access token (every API call) or by refresh token
/// (<c>/oauth2/token</c>).
/// </summary>
internal sealed class AccountRegistry
{
    private readonly Lock _addGate = new();
    private readonly TimeProvider _time;
    private readonly Identifiers _identifiers = new();
    private readonly ConcurrentDictionary<string, EmulatorAccount> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorAccount> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorAccount>.AlternateLookup<ReadOnlySpan<char>> _byTokenSpan;
    private readonly ConcurrentDictionary<string, EmulatorAccount> _byRefreshToken = new(StringComparer.Ordinal);

    public AccountRegistry(TimeProvider time)
    {
        _time = time;
        _byTokenSpan = _byToken.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public EmulatorAccount Add(string name, string accessToken, AccountLimits limits) =>
        Add(name, accessToken, refreshToken: null, limits);

    public EmulatorAccount Add(string name, string accessToken, string? refreshToken, AccountLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        ArgumentNullException.ThrowIfNull(limits);
        if (accessToken.AsSpan().ContainsAny(' ', '\t'))
        {
            throw new ArgumentException("An access token cannot contain whitespace.", nameof(accessToken));
        }

        if (refreshToken is not null && string.IsNullOrWhiteSpace(refreshToken))
        {
            throw new ArgumentException("A refresh token cannot be blank.", nameof(refreshToken));
        }

        lock (_addGate)
        {
            if (_byName.ContainsKey(name))
            {
                throw new InvalidOperationException($"An account named '{name}' already exists.");
            }

            if (_byToken.ContainsKey(accessToken))
            {
                throw new InvalidOperationException("Another account already uses that access token.");
            }

            if (refreshToken is not null && _byRefreshToken.ContainsKey(refreshToken))
            {
                throw new InvalidOperationException("Another account already uses that refresh token.");
            }

            var account = new EmulatorAccount(name, accessToken, refreshToken, limits, new FileTree(_identifiers), _time);
            _byToken[accessToken] = account;
            if (refreshToken is not null)
            {
                _byRefreshToken[refreshToken] = account;
            }

            _byName[name] = account;
            return account;
        }
    }

    public bool TryFindByToken(ReadOnlySpan<char> accessToken, [MaybeNullWhen(false)] out EmulatorAccount account) =>
        _byTokenSpan.TryGetValue(accessToken, out account);

    public EmulatorAccount? FindByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The account whose refresh token, not revoked, this is.</summary>
    public EmulatorAccount? FindByRefreshToken(string refreshToken) =>
        _byRefreshToken.TryGetValue(refreshToken, out var account) && !account.IsRefreshTokenRevoked ? account : null;

    /// <summary>Issues a new random short-lived access token (<c>sl.</c>…) for <paramref name="account"/>.</summary>
    public string IssueAccessToken(EmulatorAccount account, TimeSpan lifetime)
    {
        var token = "sl." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))
            .Replace('+', '-').Replace('/', '_').TrimEnd('=');
        account.Issue(token, lifetime);
        _byToken[token] = account;
        return token;
    }
}
