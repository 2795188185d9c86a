using System.Security.Cryptography;
using System.Text;

namespace Archiver.Core.Security;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per value. Output: <c>v1:</c> + base64(nonce ‖ tag ‖ ciphertext).
/// The version prefix lets a future key rotation tell old values from new ones.
/// </summary>
public sealed class AesGcmTokenProtector : ITokenProtector
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    /// <param name="key">32 bytes.</param>
    public AesGcmTokenProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new ArgumentException($"The token encryption key must be 32 bytes (256 bits); it is {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>Builds a protector from a base64 key, as configuration holds it.</summary>
    public static AesGcmTokenProtector FromBase64(string base64Key) => new(Convert.FromBase64String(base64Key));

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedValue)
    {
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("The stored credential is not in the expected format (missing 'v1:' prefix).");
        }

        var input = Convert.FromBase64String(protectedValue[Prefix.Length..]);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The stored credential is truncated.");
        }

        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
