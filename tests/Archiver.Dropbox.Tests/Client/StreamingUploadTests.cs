using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Client;

public sealed class StreamingUploadTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_64MiBFromANonSeekableStream_StoresExactlyThoseBytes(bool lengthKnown)
    {
        var account = fixture.NewAccount();
        var expectedHash = await DropboxContentHasher.ComputeAsync(new GeneratedStream(SixtyFourMiB, seed: 42), CancellationToken.None);
        await using var hashing = new HashingReadStream(new GeneratedStream(SixtyFourMiB, seed: 42));

        var file = await fixture.Client.UploadAsync(
            account.AccessToken,
            new CommitInfo("/big/recording.wav"),
            hashing,
            lengthKnown ? SixtyFourMiB : null,
            CancellationToken.None);

        Assert.Equal(SixtyFourMiB, file.Size);
        Assert.Equal(expectedHash, file.ContentHash);
        Assert.Equal(expectedHash, hashing.ContentHash);
    }
}
