using System.Security.Cryptography;

namespace Archiver.Dropbox.Tests.Support;

/// <summary>The content hash written the obvious way, to check the streaming implementations against.</summary>
public static class ReferenceContentHash
{
    private const int BlockSize = 4 * 1024 * 1024;

    public static string Of(byte[] content)
    {
        var digests = new List<byte>();
        for (var offset = 0; offset < content.Length; offset += BlockSize)
        {
            var block = content.AsSpan(offset, Math.Min(BlockSize, content.Length - offset));
            digests.AddRange(SHA256.HashData(block));
        }

        return Convert.ToHexStringLower(SHA256.HashData(digests.ToArray()));
    }
}
