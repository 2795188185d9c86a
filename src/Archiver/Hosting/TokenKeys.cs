using System.Security.Cryptography;
using Archiver.Security;

namespace Archiver.App.Hosting;

/// <summary>
/// Finds (or, on first start, creates) the key that encrypts Dropbox tokens at rest. The protector it returns decrypts
/// each stored token once per process (see <see cref="CachingTokenProtector"/>).
/// </summary>
internal static class TokenKeys
{
    public static ITokenProtector Load(SecurityOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.TokenKey))
        {
            return FromBase64(options.TokenKey, "archiver:security:token-key");
        }

        var file = Path.GetFullPath(options.TokenKeyFile);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the key is as secret as the tokens
            }

            using var stream = new FileStream(file, create);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return FromBase64(File.ReadAllText(file).Trim(), file);
    }

    private static CachingTokenProtector FromBase64(string value, string where)
    {
        try
        {
            return new CachingTokenProtector(AesGcmTokenProtector.FromBase64(value));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"The token encryption key in {where} must be 32 random bytes in base64: {ex.Message}", ex);
        }
    }
}
