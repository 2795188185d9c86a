using System.Net;
using System.Text.Json;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.EmulatorApi;

/// <summary>
/// The emulator's read routes (<c>get_metadata</c>, <c>list_folder</c>, <c>list_folder/continue</c>) on the wire: the
/// archiver never reads an account back, but whoever inspects an emulated account with Dropbox's own API does.
/// </summary>
public sealed class ListingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string GetMetadata = "2/files/get_metadata";
    private const string ListFolder = "2/files/list_folder";
    private static readonly byte[] Hello = TestUploads.Bytes("hello");

    [Fact]
    public async Task GetMetadata_OfAnUploadedFile_InAnyCase_IsItsTaggedFileMetadata()
    {
        var account = fixture.NewAccount();
        var uploaded = await UploadAsync(account.AccessToken, "/Calls/a.mp3");

        using var answer = await fixture.CallAsync(GetMetadata, account.AccessToken, """{"path":"/calls/A.MP3"}""");

        var file = answer.RootElement;
        Assert.Equal("file", file.GetProperty(".tag").GetString());
        Assert.Equal(uploaded.PathDisplay, file.GetProperty("path_display").GetString());
        Assert.Equal(uploaded.Id, file.GetProperty("id").GetString());
        Assert.Equal(uploaded.Rev, file.GetProperty("rev").GetString());
        Assert.Equal(uploaded.ContentHash, file.GetProperty("content_hash").GetString());
    }

    [Fact]
    public async Task GetMetadata_OfAnImplicitlyCreatedFolder_IsTaggedFolderMetadata()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, "/Calls/2024/a.mp3");

        using var answer = await fixture.CallAsync(GetMetadata, account.AccessToken, """{"path":"/calls/2024"}""");

        var folder = answer.RootElement;
        Assert.Equal("folder", folder.GetProperty(".tag").GetString());
        Assert.Equal("/Calls/2024", folder.GetProperty("path_display").GetString());
        Assert.Equal("2024", folder.GetProperty("name").GetString());
        Assert.StartsWith("id:", folder.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetadata_OfAMissingPath_IsANotFoundLookupError()
    {
        var account = fixture.NewAccount();

        var error = await fixture.RouteErrorAsync(GetMetadata, account.AccessToken, """{"path":"/nothing.txt"}""");

        Assert.Equal("path", error.GetProperty(".tag").GetString());
        Assert.Equal("not_found", error.GetProperty("path").GetProperty(".tag").GetString());
    }

    [Fact]
    public async Task GetMetadata_OfTheRoot_IsABadRequest()
    {
        var account = fixture.NewAccount();

        using var response = await fixture.PostAsync(GetMetadata, account.AccessToken, """{"path":""}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("root folder is unsupported", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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

        var pages = new List<JsonDocument> { await fixture.CallAsync(ListFolder, account.AccessToken, """{"path":"/calls","limit":3}""") };
        while (pages[^1].RootElement.GetProperty("has_more").GetBoolean())
        {
            var cursor = JsonSerializer.Serialize(pages[^1].RootElement.GetProperty("cursor").GetString());
            pages.Add(await fixture.CallAsync(ListFolder + "/continue", account.AccessToken, $$"""{"cursor":{{cursor}}}"""));
        }

        var entries = pages.Select(p => p.RootElement.GetProperty("entries").EnumerateArray().ToList()).ToList();
        Assert.Equal([3, 3, 1], entries.Select(page => page.Count));
        Assert.Equal(paths, entries.SelectMany(page => page).Select(e => e.GetProperty("path_display").GetString()));
        Assert.All(entries.SelectMany(page => page), e => Assert.Equal("file", e.GetProperty(".tag").GetString()));
        pages.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task ListFolder_Recursively_ListsNestedFoldersAndFiles()
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, "/calls/2024/a.mp3");
        await UploadAsync(account.AccessToken, "/sms/b.txt");

        using var listing = await fixture.CallAsync(ListFolder, account.AccessToken, """{"path":"","recursive":true}""");

        var entries = listing.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(
            ["/calls", "/calls/2024", "/calls/2024/a.mp3", "/sms", "/sms/b.txt"],
            entries.Select(e => e.GetProperty("path_lower").GetString()));
        Assert.Equal("folder", entries[0].GetProperty(".tag").GetString());
        Assert.False(listing.RootElement.GetProperty("has_more").GetBoolean());
    }

    [Theory]
    [InlineData("/a.txt", "not_folder")]
    [InlineData("/nope", "not_found")]
    public async Task ListFolder_OfAFileOrAMissingFolder_IsALookupError(string path, string lookupError)
    {
        var account = fixture.NewAccount();
        await UploadAsync(account.AccessToken, "/a.txt");

        var error = await fixture.RouteErrorAsync(ListFolder, account.AccessToken, $$"""{"path":"{{path}}"}""");

        Assert.Equal(lookupError, error.GetProperty("path").GetProperty(".tag").GetString());
    }

    private Task<FileMetadata> UploadAsync(string token, string path) =>
        fixture.Client.UploadAsync(token, new CommitInfo(path), new MemoryStream(Hello), Hello.Length, CancellationToken.None);
}
