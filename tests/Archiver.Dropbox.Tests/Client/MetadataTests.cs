using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Client;

public sealed class MetadataTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Hello = TestUploads.Bytes("hello");

    private DropboxClient Client => fixture.Client;

    [Fact]
    public async Task GetMetadata_OfAnUploadedFile_IsItsFileMetadata()
    {
        var account = fixture.NewAccount();
        var uploaded = await UploadAsync(account.AccessToken, "/Calls/a.mp3");

        var metadata = await Client.GetMetadataAsync(account.AccessToken, "/calls/A.MP3");

        var file = Assert.IsType<FileMetadata>(metadata);
        Assert.Equal(uploaded, file);
    }

    [Fact]
    public async Task GetMetadata_OfAnImplicitlyCreatedFolder_IsFolderMetadata()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, "/Calls/2024/a.mp3");

        var metadata = await Client.GetMetadataAsync(account.AccessToken, "/calls/2024");

        var folder = Assert.IsType<FolderMetadata>(metadata);
        Assert.Equal("/Calls/2024", folder.PathDisplay);
        Assert.Equal("2024", folder.Name);
        Assert.StartsWith("id:", folder.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetadata_OfAMissingPath_IsANotFoundPathError()
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxPathException>(() => Client.GetMetadataAsync(account.AccessToken, "/nothing.txt"));

        Assert.Equal(PathErrorKind.NotFound, error.Kind);
        Assert.Null(error.Conflict);
    }

    [Fact]
    public async Task GetMetadata_OfTheRoot_IsABadRequest()
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxBadRequestException>(() => Client.GetMetadataAsync(account.AccessToken, ""));

        Assert.Contains("root folder is unsupported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListFolder_WithALimit_PagesThroughEveryEntryOnce()
    {
        var account = fixture.NewAccount();
        var paths = Enumerable.Range(1, 7).Select(i => $"/calls/call-{i}.mp3").ToList();
        foreach (var path in paths)
        {
            await UploadAsync(account.AccessToken, path);
        }

        var pages = new List<ListFolderResult> { await Client.ListFolderAsync(account.AccessToken, "/calls", limit: 3) };
        while (pages[^1].HasMore)
        {
            pages.Add(await Client.ListFolderContinueAsync(account.AccessToken, pages[^1].Cursor));
        }

        Assert.Equal([3, 3, 1], pages.Select(p => p.Entries.Count));
        Assert.Equal(paths, pages.SelectMany(p => p.Entries).Select(e => e.PathDisplay));
        Assert.All(pages.SelectMany(p => p.Entries), e => Assert.IsType<FileMetadata>(e));
    }

    [Fact]
    public async Task ListFolder_Recursively_ListsNestedFoldersAndFiles()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, "/calls/2024/a.mp3");
        await UploadAsync(account.AccessToken, "/sms/b.txt");

        var listing = await Client.ListFolderAsync(account.AccessToken, "", recursive: true);

        Assert.Equal(
            ["/calls", "/calls/2024", "/calls/2024/a.mp3", "/sms", "/sms/b.txt"],
            listing.Entries.Select(e => e.PathLower));
        Assert.IsType<FolderMetadata>(listing.Entries[0]);
        Assert.False(listing.HasMore);
    }

    [Fact]
    public async Task ListFolder_OfAFile_IsANotFolderPathError()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, "/a.txt");

        var error = await Assert.ThrowsAsync<DropboxPathException>(() => Client.ListFolderAsync(account.AccessToken, "/a.txt"));

        Assert.Equal(PathErrorKind.NotFolder, error.Kind);
    }

    [Fact]
    public async Task ListFolder_OfAMissingFolder_IsANotFoundPathError()
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxPathException>(() => Client.ListFolderAsync(account.AccessToken, "/nope"));

        Assert.Equal(PathErrorKind.NotFound, error.Kind);
    }

    private Task<FileMetadata> UploadAsync(string token, string path) =>
        Client.UploadAsync(token, new CommitInfo(path), new MemoryStream(Hello), Hello.Length, CancellationToken.None);
}
