using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Accounts;

/// <summary>The emulated accounts, found by name (inspection) or by access token (every API call).</summary>
internal sealed class AccountRegistry
{
    private readonly Lock _addGate = new();
    private readonly TimeProvider _time;
    private readonly Identifiers _identifiers = new();
    private readonly ConcurrentDictionary<string, EmulatorAccount> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorAccount> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatorAccount>.AlternateLookup<ReadOnlySpan<char>> _byTokenSpan;

    public AccountRegistry(TimeProvider time)
    {
        _time = time;
        _byTokenSpan = _byToken.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public EmulatorAccount Add(string name, string accessToken, AccountLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        ArgumentNullException.ThrowIfNull(limits);
        if (accessToken.AsSpan().ContainsAny(' ', '\t'))
        {
            throw new ArgumentException("An access token cannot contain whitespace.", nameof(accessToken));
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

            var account = new EmulatorAccount(name, accessToken, limits, new FileTree(_identifiers), _time);
            _byToken[accessToken] = account;
            _byName[name] = account;
            return account;
        }
    }

    public bool TryFindByToken(ReadOnlySpan<char> accessToken, [MaybeNullWhen(false)] out EmulatorAccount account) =>
        _byTokenSpan.TryGetValue(accessToken, out account);

    public EmulatorAccount? FindByName(string name) => _byName.GetValueOrDefault(name);
}
