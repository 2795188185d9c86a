using System.Security.Cryptography;
using Archiver.Core.Security;

namespace Archiver.Hosting;

/// <summary>Finds the admin API's bearer token: configured, or generated once into a file only its owner can read.</summary>
internal static class ApiTokens
{
    public static string Load(ApiOptions api, SecurityOptions security)
    {
        if (!string.IsNullOrWhiteSpace(api.Token))
        {
            return api.Token;
        }

        var file = Path.GetFullPath(api.EffectiveTokenFile(security));
        if (!File.Exists(file))
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                using var stream = new FileStream(file, PrivateFile(FileMode.CreateNew));
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process created it first; use theirs.
            }
        }

        return File.ReadAllText(file).Trim();
    }

    /// <summary>The token a client on this machine should send: configured, or read from the generated file (null when there is none).</summary>
    public static string? Find(ApiOptions api, SecurityOptions security)
    {
        if (!string.IsNullOrWhiteSpace(api.Token))
        {
            return api.Token;
        }

        var file = Path.GetFullPath(api.EffectiveTokenFile(security));
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>Writes a small file readable by its owner only.</summary>
    public static void WritePrivate(string path, string content)
    {
        var full = Path.GetFullPath(path);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(full)!);
        using var stream = new FileStream(full, PrivateFile(FileMode.Create));
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    private static FileStreamOptions PrivateFile(FileMode mode) => PrivateFiles.Options(mode, FileAccess.Write);
}
