using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Core.Tests.Content;

public sealed class FileContentSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("archiver-root-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("archiver-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static ArchiveItem ItemAt(string path) =>
        new(1, new CustomerId("acme"), "x", ItemKind.Sms, new Uri(path), new ItemMetadata(DateTimeOffset.UnixEpoch), null, 0, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Open_FileUnderARoot_StreamsItWithItsLength()
    {
        var file = Path.Combine(_root, "a.txt");
        await File.WriteAllTextAsync(file, "hello");

        await using var content = await new FileContentSource([_root]).OpenAsync(ItemAt(file), CancellationToken.None);

        Assert.Equal(5, content.Length);
        Assert.Equal("hello", await new StreamReader(content.Stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Open_FileOutsideTheRoots_IsAPermanentFailure()
    {
        var file = Path.Combine(_outside, "secret.txt");
        await File.WriteAllTextAsync(file, "no");

        var error = await Assert.ThrowsAsync<ContentUnavailableException>(() => new FileContentSource([_root]).OpenAsync(ItemAt(file), CancellationToken.None));

        Assert.True(error.IsPermanent);
        Assert.Contains("outside the allowed content roots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TraversalOutOfTheRoot_IsRefused()
    {
        await File.WriteAllTextAsync(Path.Combine(_outside, "secret.txt"), "no");
        var sneaky = Path.Combine(_root, "..", Path.GetFileName(_outside), "secret.txt");

        var error = await Assert.ThrowsAsync<ContentUnavailableException>(() => new FileContentSource([_root]).OpenAsync(ItemAt(sneaky), CancellationToken.None));

        Assert.True(error.IsPermanent);
    }

    [Fact]
    public async Task Open_SymlinkPointingOutOfTheRoot_IsRefused()
    {
        var target = Path.Combine(_outside, "secret.txt");
        await File.WriteAllTextAsync(target, "no");
        var link = Path.Combine(_root, "link.txt");
        File.CreateSymbolicLink(link, target);

        var error = await Assert.ThrowsAsync<ContentUnavailableException>(() => new FileContentSource([_root]).OpenAsync(ItemAt(link), CancellationToken.None));

        Assert.Contains("links outside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MissingFile_IsAPermanentFailureNamingIt()
    {
        var missing = Path.Combine(_root, "gone.mp3");

        var error = await Assert.ThrowsAsync<ContentUnavailableException>(() => new FileContentSource([_root]).OpenAsync(ItemAt(missing), CancellationToken.None));

        Assert.True(error.IsPermanent);
        Assert.Contains("gone.mp3", error.Message, StringComparison.Ordinal);
    }
}
