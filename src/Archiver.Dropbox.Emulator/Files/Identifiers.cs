using System.Buffers.Text;
using System.Security.Cryptography;

namespace Archiver.Dropbox.Emulator.Files;

/// <summary>Dropbox-shaped identifiers: <c>id:</c> + 22 URL-safe base64 characters, and hex revisions.</summary>
internal sealed class Identifiers
{
    private long _lastRev = RandomNumberGenerator.GetInt32(0x100000, 0x7FFFFFFF) * 0x1000L;

    public static string NewId()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        Span<char> text = stackalloc char[3 + 22];
        "id:".CopyTo(text);
        Base64Url.EncodeToChars(random, text[3..]);
        return new string(text);
    }

    /// <summary>A revision never handed out before by this emulator: at least 12 lowercase hex digits.</summary>
    public string NextRev() => Interlocked.Increment(ref _lastRev).ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
}
