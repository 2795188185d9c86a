using System.Collections.Concurrent;

namespace Archiver.Core.Security;

/// <summary>
/// Remembers what each protected value decrypts to, so reading the same customers again and again (a node looks at all
/// of them every refresh) decrypts each token once rather than every time. The plaintext is held only in this
/// process's memory, where the running pipelines hold it anyway.
/// </summary>
public sealed class CachingTokenProtector(ITokenProtector inner, int capacity = 100_000) : ITokenProtector
{
    private readonly ConcurrentDictionary<string, string> _plaintexts = new(StringComparer.Ordinal);

    public string Protect(string plaintext) => inner.Protect(plaintext);

    public string Unprotect(string protectedValue)
    {
        if (_plaintexts.TryGetValue(protectedValue, out var plaintext))
        {
            return plaintext;
        }

        plaintext = inner.Unprotect(protectedValue);
        if (_plaintexts.Count >= capacity)
        {
            _plaintexts.Clear(); // crude, and rare: a node with more customers than this decrypts as before
        }

        _plaintexts[protectedValue] = plaintext;
        return plaintext;
    }
}
