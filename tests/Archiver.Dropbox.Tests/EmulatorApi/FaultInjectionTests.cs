using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.EmulatorApi;

/// <summary>The emulator's per-account faults: injected 5xx, dropped connections, and their settings over HTTP.</summary>
public sealed class FaultInjectionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task ServerErrorShareOfOne_AnswersEveryCall503_AndNothingIsStored()
    {
        var account = fixture.NewAccount(new AccountLimits { ServerErrorShare = 1 });

        var failure = await Assert.ThrowsAsync<DropboxServerException>(
            () => fixture.Client.UploadAsync(account.AccessToken, new CommitInfo("/x.txt"), TestUploads.Bytes("x")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(1, account.Stats().ServerErrorsInjected);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task DropShareOfOne_AbortsTheConnectionMidBody_AndNothingIsStored()
    {
        var account = fixture.NewAccount(new AccountLimits { DropShare = 1 });
        var content = new byte[256 * 1024];

        await Assert.ThrowsAsync<DropboxTransportException>(
            () => fixture.Client.UploadAsync(account.AccessToken, new CommitInfo("/x.bin"), content));

        Assert.Equal(1, account.Stats().ConnectionsDropped);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task FaultSettings_ChangedOverHttp_ApplyToTheAccount()
    {
        var account = fixture.NewAccount();

        using var changed = await fixture.Http.PutAsJsonAsync(
            Url($"/_emulator/accounts/{account.Name}/limits"),
            new { writeTimeMs = 50, contention = "entry", latencyMs = 5, latencyJitterMs = 10, serverErrorShare = 0.25, dropShare = 0.5 });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var limits = account.Limits;
        Assert.Equal(TimeSpan.FromMilliseconds(50), limits.WriteTime);
        Assert.Equal(WriteContentionShape.EntryFailure, limits.Contention);
        Assert.Equal(TimeSpan.FromMilliseconds(5), limits.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(10), limits.LatencyJitter);
        Assert.Equal(0.25, limits.ServerErrorShare);
        Assert.Equal(0.5, limits.DropShare);
        using var view = await JsonDocument.ParseAsync(await changed.Content.ReadAsStreamAsync());
        Assert.Equal("entry", view.RootElement.GetProperty("contention").GetString());
    }

    [Theory]
    [InlineData("""{"serverErrorShare":1.5}""")]
    [InlineData("""{"dropShare":-0.1}""")]
    [InlineData("""{"contention":"sometimes"}""")]
    [InlineData("""{"latencyMs":-1}""")]
    public async Task FaultSettings_OutOfRange_AreRefusedAndChangeNothing(string body)
    {
        var account = fixture.NewAccount();

        using var response = await fixture.Http.PutAsync(
            Url($"/_emulator/accounts/{account.Name}/limits"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(AccountLimits.Unlimited, account.Limits);
    }

    private Uri Url(string path) => new(fixture.Emulator.BaseUri, path);
}
