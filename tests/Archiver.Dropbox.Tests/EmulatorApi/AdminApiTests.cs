using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.EmulatorApi;

public sealed class AdminApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Accounts_CreatedOverHttp_CanUploadAndBeInspectedOverHttp()
    {
        var name = "http-" + Guid.NewGuid().ToString("N");
        var token = "token-" + name;

        using var created = await fixture.Http.PostAsJsonAsync(
            Url("/_emulator/accounts"), new { name, accessToken = token, ratePerSecond = 0, burst = 1, rejectAllWrites = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var content = TestUploads.Bytes("via http");
        await fixture.Client.UploadAsync(token, new CommitInfo("/x/y.txt"), new MemoryStream(content), content.Length, CancellationToken.None);

        using var files = await JsonDocument.ParseAsync(await fixture.Http.GetStreamAsync(Url($"/_emulator/accounts/{name}/files")));
        var file = Assert.Single(files.RootElement.EnumerateArray());
        Assert.Equal("/x/y.txt", file.GetProperty("pathDisplay").GetString());
        Assert.Equal(1, file.GetProperty("uploadCount").GetInt32());

        using var stats = await JsonDocument.ParseAsync(await fixture.Http.GetStreamAsync(Url($"/_emulator/accounts/{name}/stats")));
        Assert.Equal(1, stats.RootElement.GetProperty("writes").GetInt64());
    }

    [Fact]
    public async Task Limits_ChangedOverHttp_ApplyToTheNextCall()
    {
        var account = fixture.NewAccount();

        using var changed = await fixture.Http.PutAsJsonAsync(
            Url($"/_emulator/accounts/{account.Name}/limits"), new { rejectAllWrites = true, retryAfterSeconds = 3 });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.True(account.Limits.RejectAllWrites);
        Assert.Equal(TimeSpan.FromSeconds(3), account.Limits.RetryAfter);
    }

    [Fact]
    public async Task Accounts_WithADuplicateName_AreRefused()
    {
        var account = fixture.NewAccount();

        using var response = await fixture.Http.PostAsJsonAsync(
            Url("/_emulator/accounts"), new { name = account.Name, accessToken = "another-token" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    private Uri Url(string path) => new(fixture.Emulator.BaseUri, path);
}
