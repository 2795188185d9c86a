using System.Net;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;
using Archiver.Testing;

namespace Archiver.Dropbox.Tests.Client;

public sealed class ErrorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Hello = TestUploads.Bytes("hello");

    [Fact]
    public async Task Call_BeyondTheAccountsRate_IsRateLimitedWithRetryAfter()
    {
        var account = fixture.NewAccount(new AccountLimits(RatePerSecond: 0.5, Burst: 1));
        await UploadAsync(account.AccessToken, "/a.txt");

        var limited = await Assert.ThrowsAsync<DropboxRateLimitException>(() => UploadAsync(account.AccessToken, "/b.txt"));

        Assert.Equal(RateLimitReason.TooManyRequests, limited.Reason);
        Assert.InRange(limited.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal(1, account.Stats().RateLimited);
        Assert.Single(account.Files());
    }

    [Fact]
    public async Task Upload_ToAnAccountRejectingAllWrites_IsRateLimitedForItsRetryAfter()
    {
        var account = fixture.NewAccount(new AccountLimits(RejectAllWrites: true, RetryAfter: TimeSpan.FromSeconds(7)));

        var limited = await Assert.ThrowsAsync<DropboxRateLimitException>(() => UploadAsync(account.AccessToken, "/a.txt"));

        Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Limits_ChangedAtRuntime_TakeEffectAtOnce()
    {
        var account = fixture.NewAccount(new AccountLimits(RejectAllWrites: true));
        await Assert.ThrowsAsync<DropboxRateLimitException>(() => UploadAsync(account.AccessToken, "/a.txt"));

        account.Limits = AccountLimits.Unlimited;

        await UploadAsync(account.AccessToken, "/a.txt");
    }

    [Fact]
    public async Task Call_WithAnUnknownToken_IsAnInvalidAccessTokenError()
    {
        var error = await Assert.ThrowsAsync<DropboxAuthException>(() => UploadAsync("no-such-token", "/a.txt"));

        Assert.Equal(AuthErrorKind.InvalidAccessToken, error.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Call_WithAnExpiredToken_IsAnExpiredAccessTokenError()
    {
        var account = fixture.NewAccount();
        account.ExpireAccessToken();

        var error = await Assert.ThrowsAsync<DropboxAuthException>(() => UploadAsync(account.AccessToken, "/a.txt"));

        Assert.Equal(AuthErrorKind.ExpiredAccessToken, error.Kind);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Call_DuringAServerFault_IsAServerError()
    {
        var account = fixture.NewAccount();
        account.FailNextRequests(1, statusCode: 503);

        var error = await Assert.ThrowsAsync<DropboxServerException>(() => UploadAsync(account.AccessToken, "/a.txt"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        await UploadAsync(account.AccessToken, "/a.txt");
    }

    [Fact]
    public async Task Call_ToAPortNobodyListensOn_IsATransportError()
    {
        var port = FreePort.Next();
        var unreachable = new Uri($"http://127.0.0.1:{port}/");
        var client = new DropboxClient(fixture.Http, new DropboxClientOptions { ApiBaseUri = unreachable, ContentBaseUri = unreachable });

        var error = await Assert.ThrowsAsync<DropboxTransportException>(
            () => client.UploadAsync("token", new CommitInfo("/a.txt"), new MemoryStream(Hello), Hello.Length, CancellationToken.None));

        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task Call_CancelledByTheCaller_ThrowsOperationCanceled()
    {
        var account = fixture.NewAccount();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fixture.Client.UploadAsync(account.AccessToken, new CommitInfo("/a.txt"), new MemoryStream(Hello), Hello.Length, cancelled.Token));
    }

    private Task<FileMetadata> UploadAsync(string token, string path) =>
        fixture.Client.UploadAsync(token, new CommitInfo(path), new MemoryStream(Hello), Hello.Length, CancellationToken.None);
}
