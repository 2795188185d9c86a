using System.Buffers.Text;
using System.Text.Json;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// A listing cursor: which folder, how, and the last lowercase path handed out. Entries come sorted by lowercase path,
/// so the next page is everything after <see cref="After"/>. Opaque to clients: URL-safe base64 of JSON.
/// </summary>
internal sealed record ListCursor(string Path, bool Recursive, int Limit, string? After)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, ProtocolJsonContext.Default.ListCursor));

    public static ListCursor? TryDecode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(Base64Url.DecodeFromChars(text), ProtocolJsonContext.Default.ListCursor);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
