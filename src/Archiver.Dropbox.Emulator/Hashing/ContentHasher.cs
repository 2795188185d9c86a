using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Archiver.Dropbox.Emulator.Hashing;

/// <summary>
/// Dropbox's content hash computed as an upload body arrives: SHA-256 per 4 MiB block, SHA-256 over the block
/// digests, lowercase hex. Instances are pooled (each holds two native hash contexts); bodies that arrive whole and
/// fit in one block take the allocation-free <see cref="OfSingleBlock"/>.
/// </summary>
internal sealed class ContentHasher
{
    public const int BlockSize = 4 * 1024 * 1024;
    private const int MaxPooled = 256;

    private static readonly ConcurrentQueue<ContentHasher> Pool = new();
    private static int _pooled;

    private readonly IncrementalHash _block = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _blockDigests = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _blockFill;

    /// <summary>The hash of content of at most one block.</summary>
    public static string OfSingleBlock(ReadOnlySpan<byte> content)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (!content.IsEmpty)
        {
            SHA256.HashData(content, digest);
            SHA256.HashData(digest, digest);
        }
        else
        {
            SHA256.HashData(ReadOnlySpan<byte>.Empty, digest);
        }

        return Convert.ToHexStringLower(digest);
    }

    public static ContentHasher Rent()
    {
        if (Pool.TryDequeue(out var hash))
        {
            Interlocked.Decrement(ref _pooled);
            return hash;
        }

        return new ContentHasher();
    }

    /// <summary>Puts a hasher back; it must have been finished or abandoned (its state is reset here).</summary>
    public static void Return(ContentHasher hash)
    {
        hash.Reset();
        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(hash);
            return;
        }

        Interlocked.Decrement(ref _pooled);
        hash._block.Dispose();
        hash._blockDigests.Dispose();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, BlockSize - _blockFill);
            _block.AppendData(data[..take]);
            _blockFill += take;
            data = data[take..];
            if (_blockFill == BlockSize)
            {
                CloseBlock();
            }
        }
    }

    public string Finish()
    {
        if (_blockFill > 0)
        {
            CloseBlock();
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _blockDigests.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private void CloseBlock()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _block.GetHashAndReset(digest);
        _blockDigests.AppendData(digest);
        _blockFill = 0;
    }

    private void Reset()
    {
        Span<byte> discard = stackalloc byte[SHA256.HashSizeInBytes];
        if (_blockFill > 0)
        {
            _block.GetHashAndReset(discard);
            _blockFill = 0;
        }

        _blockDigests.GetHashAndReset(discard);
    }
}
