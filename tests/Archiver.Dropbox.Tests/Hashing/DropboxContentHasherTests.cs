using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Hashing;

public sealed class DropboxContentHasherTests
{
    private const int Block = DropboxContentHasher.BlockSize;

    [Fact]
    public void Hash_OfEmptyInput_IsSha256OfNothing()
    {
        Assert.Equal(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            DropboxContentHasher.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    [InlineData(Block + 1)]
    [InlineData(9_711_423)]
    public void Hash_OfAnySize_MatchesStraightforwardImplementation(int size)
    {
        var content = RandomBytes(size, seed: size);

        Assert.Equal(ReferenceContentHash.Of(content), DropboxContentHasher.Compute(content));
    }

    [Fact]
    public void Hash_FedInUnevenPieces_EqualsHashInOneGo()
    {
        var content = RandomBytes((2 * Block) + 12345, seed: 7);
        using var hasher = new DropboxContentHasher();

        for (var offset = 0; offset < content.Length; offset += 1_000_003)
        {
            hasher.Append(content.AsSpan(offset, Math.Min(1_000_003, content.Length - offset)));
        }

        Assert.Equal(ReferenceContentHash.Of(content), hasher.GetHashAndReset());
    }

    [Fact]
    public async Task HashingReadStream_ReadToEnd_ReportsTheHashersHash()
    {
        var content = RandomBytes(Block + 999, seed: 11);
        await using var hashing = new HashingReadStream(new MemoryStream(content));

        await hashing.CopyToAsync(Stream.Null);

        Assert.Equal(DropboxContentHasher.Compute(content), hashing.ContentHash);
        Assert.Equal(content.Length, hashing.BytesRead);
    }

    [Fact]
    public async Task HashingReadStream_BeforeTheEnd_HasNoHashYet()
    {
        await using var hashing = new HashingReadStream(new MemoryStream(RandomBytes(100, seed: 3)));

        await hashing.ReadExactlyAsync(new byte[100]);

        Assert.Null(hashing.ContentHash);
    }

    [Fact]
    public async Task HashingReadStream_WithLeaveOpen_DoesNotCloseTheInnerStream()
    {
        var inner = new MemoryStream(RandomBytes(10, seed: 5));

        await using (var hashing = new HashingReadStream(inner, leaveOpen: true))
        {
            await hashing.CopyToAsync(Stream.Null);
        }

        Assert.True(inner.CanRead);
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
