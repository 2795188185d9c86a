using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Hashing;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Client;

public sealed class UploadTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Hello = TestUploads.Bytes("hello, archive");
    private static readonly byte[] Other = TestUploads.Bytes("something else");

    private DropboxClient Client => fixture.Client;

    [Fact]
    public async Task Upload_NewFile_ReturnsItsFileMetadata()
    {
        var account = fixture.NewAccount();
        var clientModified = new DateTimeOffset(2024, 3, 14, 9, 26, 53, TimeSpan.Zero);

        var file = await UploadAsync(account.AccessToken, new CommitInfo("/Calls/2024/Call.MP3") { ClientModified = clientModified }, Hello);

        Assert.Equal("Call.MP3", file.Name);
        Assert.Equal("/Calls/2024/Call.MP3", file.PathDisplay);
        Assert.Equal("/calls/2024/call.mp3", file.PathLower);
        Assert.Matches("^id:[A-Za-z0-9_-]{22}$", file.Id);
        Assert.Matches("^[0-9a-f]{9,}$", file.Rev);
        Assert.Equal(Hello.Length, file.Size);
        Assert.Equal(DropboxContentHasher.Compute(Hello), file.ContentHash);
        Assert.Equal(clientModified, file.ClientModified);
        Assert.True(file.IsDownloadable);
    }

    [Fact]
    public async Task Upload_NonAsciiPath_RoundTripsThroughTheHeader()
    {
        var account = fixture.NewAccount();
        const string path = "/Anrufe/Müller – 東京 📞.mp3";

        var file = await UploadAsync(account.AccessToken, new CommitInfo(path), Hello);

        Assert.Equal(path, file.PathDisplay);
        Assert.Equal(path, Assert.Single(account.Files()).PathDisplay);
    }

    [Fact]
    public async Task Upload_IdenticalContentTwice_IsANoOp()
    {
        var account = fixture.NewAccount();

        var first = await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3"), Hello);
        var second = await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3"), Hello);

        Assert.Equal(first.Rev, second.Rev);
        Assert.Equal(first.Id, second.Id);
        var stored = Assert.Single(account.Files());
        Assert.Equal(2, stored.UploadCount);
        Assert.Equal(new(Requests: 2, RateLimited: 0, Writes: 1, UnchangedUploads: 1), account.Stats());
    }

    [Fact]
    public async Task Upload_DifferentContentToTheSamePath_IsAFileConflict()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3"), Hello);

        var conflict = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3"), Other));

        Assert.Equal(PathErrorKind.Conflict, conflict.Kind);
        Assert.Equal(WriteConflictKind.File, conflict.Conflict);
        Assert.NotNull(conflict.RequestId);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Fact]
    public async Task Upload_PathDifferingOnlyInCase_IsTheSameFile()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, new CommitInfo("/Calls/A.mp3"), Hello);

        var again = await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.MP3"), Hello);

        Assert.Equal("/Calls/A.mp3", again.PathDisplay);
        Assert.Single(account.Files());
        await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/CALLS/a.mp3"), Other));
    }

    [Fact]
    public async Task Upload_WithAutorename_StoresDifferentContentUnderANumberedName()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3"), Hello);

        var renamed = await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3") { Autorename = true }, Other);

        Assert.Equal("/calls/a (1).mp3", renamed.PathDisplay);
        Assert.Equal(2, account.Files().Count);
    }

    [Fact]
    public async Task Upload_WithOverwrite_StoresANewRevisionUnderTheSameId()
    {
        var account = fixture.NewAccount();
        var first = await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3"), Hello);

        var second = await UploadAsync(account.AccessToken, new CommitInfo("/calls/a.mp3") { Mode = WriteMode.Overwrite }, Other);

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.Rev, second.Rev);
        Assert.Equal(DropboxContentHasher.Compute(Other), Assert.Single(account.Files()).ContentHash);
    }

    [Fact]
    public async Task Upload_WithUpdateOfAStaleRev_IsAFileConflict()
    {
        var account = fixture.NewAccount();
        var first = await UploadAsync(account.AccessToken, new CommitInfo("/a.txt"), Hello);
        await UploadAsync(account.AccessToken, new CommitInfo("/a.txt") { Mode = WriteMode.Update(first.Rev) }, Other);

        var stale = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/a.txt") { Mode = WriteMode.Update(first.Rev) }, Hello));

        Assert.Equal(WriteConflictKind.File, stale.Conflict);
    }

    [Fact]
    public async Task Upload_WhereAFolderIs_IsAFolderConflict()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, new CommitInfo("/calls/2024/a.mp3"), Hello);

        var conflict = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/calls/2024"), Hello));

        Assert.Equal(WriteConflictKind.Folder, conflict.Conflict);
    }

    [Fact]
    public async Task Upload_BelowAFile_IsAFileAncestorConflict()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, new CommitInfo("/calls"), Hello);

        var conflict = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/calls/2024/a.mp3"), Hello));

        Assert.Equal(WriteConflictKind.FileAncestor, conflict.Conflict);
    }

    [Theory]
    [InlineData("/calls/")]
    [InlineData("/calls//a.mp3")]
    [InlineData("/calls/a.mp3 ")]
    [InlineData("/calls/back\\slash.mp3")]
    public async Task Upload_MalformedPath_IsAMalformedPathError(string path)
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxPathException>(() => UploadAsync(account.AccessToken, new CommitInfo(path), Hello));

        Assert.Equal(PathErrorKind.MalformedPath, error.Kind);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Upload_ComponentLongerThan255Characters_IsAMalformedPathError()
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/calls/" + new string('x', 256)), Hello));

        Assert.Equal(PathErrorKind.MalformedPath, error.Kind);
    }

    [Fact]
    public async Task Upload_DisallowedName_IsADisallowedNameError()
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/calls/Desktop.ini"), Hello));

        Assert.Equal(PathErrorKind.DisallowedName, error.Kind);
    }

    [Fact]
    public async Task Upload_PathNotStartingWithSlash_IsABadRequestWithDropboxsText()
    {
        var account = fixture.NewAccount();

        var error = await Assert.ThrowsAsync<DropboxBadRequestException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("calls/a.mp3"), Hello));

        Assert.Contains("did not match pattern", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task Upload_FromMemory_IsCheckedByDropboxAgainstItsHash()
    {
        var account = fixture.NewAccount();

        var file = await Client.UploadAsync(account.AccessToken, new CommitInfo("/memory.bin"), Hello.AsMemory());

        Assert.Equal(DropboxContentHasher.Compute(Hello), file.ContentHash);
    }

    [Fact]
    public async Task Upload_OverTheAccountsQuota_IsAnInsufficientSpaceError()
    {
        var account = fixture.NewAccount(new AccountLimits(QuotaBytes: 20));
        await UploadAsync(account.AccessToken, new CommitInfo("/a.txt"), Hello);

        var error = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/b.txt"), Other));

        Assert.Equal(PathErrorKind.InsufficientSpace, error.Kind);
    }

    [Fact]
    public async Task Upload_DuringWriteContention_IsATooManyWriteOperationsPathError()
    {
        var account = fixture.NewAccount();
        account.ContendNextWrites(1);

        var error = await Assert.ThrowsAsync<DropboxPathException>(
            () => UploadAsync(account.AccessToken, new CommitInfo("/a.txt"), Hello));

        Assert.Equal(PathErrorKind.TooManyWriteOperations, error.Kind);
        await UploadAsync(account.AccessToken, new CommitInfo("/a.txt"), Hello);
    }

    private Task<FileMetadata> UploadAsync(string token, CommitInfo commit, byte[] content) =>
        Client.UploadAsync(token, commit, new MemoryStream(content), content.Length, CancellationToken.None);
}
