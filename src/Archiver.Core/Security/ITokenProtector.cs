namespace Archiver.Core.Security;

/// <summary>Encrypts credentials before a store writes them and decrypts them when it reads them back.</summary>
public interface ITokenProtector
{
    string Protect(string plaintext);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the value was not protected with this key.</summary>
    string Unprotect(string protectedValue);
}
