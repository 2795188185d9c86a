using System.Security.Cryptography;
using Archiver.Core.Node;
using Archiver.Core.Security;

namespace Archiver.Hosting;

/// <summary>
/// Finds (or, on first start, creates) the key that encrypts Dropbox tokens at rest. The protector it returns decrypts
/// each stored token once per process (see <see cref="CachingTokenProtector"/>). A key that is not 32 bytes of base64
/// refuses the start (<see cref="StartupRefusedException"/>) naming the setting or the file.
/// </summary>
internal static class TokenKeys
{
    private const int KeyBytes = 32;

    public static ITokenProtector Load(SecurityOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.TokenKey))
        {
            return FromBase64(options.TokenKey, "archiver.security.token-key");
        }

        var file = Path.GetFullPath(options.TokenKeyFile);
        if (!File.Exists(file))
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                using var stream = new FileStream(file, PrivateFiles.Options(FileMode.CreateNew, FileAccess.Write)); // as secret as the tokens
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process created it first; use theirs.
            }
        }

        return FromBase64(File.ReadAllText(file).Trim(), file);
    }

    private static CachingTokenProtector FromBase64(string value, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException ex)
        {
            throw new StartupRefusedException($"The token key in {where} is not base64; it must be {KeyBytes} random bytes in base64 (e.g. openssl rand -base64 {KeyBytes}).", ex);
        }

        if (key.Length != KeyBytes)
        {
            throw new StartupRefusedException($"The token key in {where} is {key.Length} bytes; it must be {KeyBytes} random bytes in base64 (e.g. openssl rand -base64 {KeyBytes}).");
        }

        return new CachingTokenProtector(new AesGcmTokenProtector(key));
    }
}
