using System.Security.Cryptography;
using Archiver.Core.Security;

namespace Archiver.Core.Tests.Security;

public sealed class CachingTokenProtectorTests
{
    [Fact]
    public void Unprotect_DecryptsEachProtectedValueOnce()
    {
        var inner = new CountingProtector(new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)));
        var protector = new CachingTokenProtector(inner);
        var sealedToken = protector.Protect("sl.secret");

        Assert.Equal("sl.secret", protector.Unprotect(sealedToken));
        Assert.Equal("sl.secret", protector.Unprotect(sealedToken));

        Assert.Equal(1, inner.Unprotects);
    }

    [Fact]
    public void Unprotect_BeyondCapacity_StillAnswersCorrectly()
    {
        var protector = new CachingTokenProtector(new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)), capacity: 2);
        var tokens = Enumerable.Range(0, 5).Select(i => $"token-{i}").ToArray();
        var sealedTokens = tokens.Select(protector.Protect).ToArray();

        Assert.Equal(tokens, sealedTokens.Select(protector.Unprotect));
        Assert.Equal(tokens, sealedTokens.Select(protector.Unprotect));
    }

    private sealed class CountingProtector(ITokenProtector inner) : ITokenProtector
    {
        public int Unprotects { get; private set; }

        public string Protect(string plaintext) => inner.Protect(plaintext);

        public string Unprotect(string protectedValue)
        {
            Unprotects++;
            return inner.Unprotect(protectedValue);
        }
    }
}
