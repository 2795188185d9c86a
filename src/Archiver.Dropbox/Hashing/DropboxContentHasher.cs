using System.Security.Cryptography;

namespace Archiver.Dropbox.Hashing;

/// <summary>
/// Dropbox's <c>content_hash</c>, computed as the bytes stream past: SHA-256 of every 4 MiB block, then SHA-256 of
/// the block digests laid end to end, as lowercase hex. Empty content hashes to SHA-256 of nothing.
/// Feed it with <see cref="Append"/> and read the result with <see cref="GetHashAndReset"/>.
/// </summary>
public sealed class DropboxContentHasher : IDisposable
{
    /// <summary>Dropbox hashes content in blocks of exactly this many bytes; only the last may be shorter.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    private readonly IncrementalHash _block = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _blockDigests = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _blockFill;

    /// <summary>Bytes appended since the last reset.</summary>
    public long Length { get; private set; }

    /// <summary>The hash of <paramref name="content"/> in one go.</summary>
    public static string Compute(ReadOnlySpan<byte> content)
    {
        using var hasher = new DropboxContentHasher();
        hasher.Append(content);
        return hasher.GetHashAndReset();
    }

    /// <summary>The hash of everything <paramref name="content"/> yields until its end.</summary>
    public static async Task<string> ComputeAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hasher = new DropboxContentHasher();
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, read));
        }

        return hasher.GetHashAndReset();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, BlockSize - _blockFill);
            _block.AppendData(data[..take]);
            _blockFill += take;
            Length += take;
            data = data[take..];
            if (_blockFill == BlockSize)
            {
                CloseBlock();
            }
        }
    }

    /// <summary>The hash of everything appended so far; the hasher then starts over.</summary>
    public string GetHashAndReset()
    {
        if (_blockFill > 0)
        {
            CloseBlock();
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _blockDigests.GetHashAndReset(digest);
        Length = 0;
        return Convert.ToHexStringLower(digest);
    }

    public void Dispose()
    {
        _block.Dispose();
        _blockDigests.Dispose();
    }

    private void CloseBlock()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _block.GetHashAndReset(digest);
        _blockDigests.AppendData(digest);
        _blockFill = 0;
    }
}
