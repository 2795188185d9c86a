using Archiver.Core.Customers;
using Archiver.Core.Uploads;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Uploads;

public sealed class DropboxUploadTargetRefreshTests(OAuthEmulatorFixture fixture) : IClassFixture<OAuthEmulatorFixture>
{
    private const int Size = 64 * 1024;

    [Fact]
    public async Task Upload_ForACustomerWithARefreshToken_UsesARefreshedAccessToken()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());

        var result = await target.UploadAsync(Request(RefreshOnly(account), "/a.mp3", forwardOnly: true), CancellationToken.None);

        Assert.IsType<UploadResult.Uploaded>(result);
        Assert.Single(account.Files());
        Assert.Equal(1, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Uploads_ManyForOneCustomer_ShareOneAccessToken()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());

        for (var i = 0; i < 5; i++)
        {
            var result = await target.UploadAsync(Request(RefreshOnly(account), $"/{i}.mp3", forwardOnly: true), CancellationToken.None);
            Assert.IsType<UploadResult.Uploaded>(result);
        }

        Assert.Equal(1, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Upload_AfterTheTokensLifetime_RefreshesProactivelyAndSucceeds()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());
        await target.UploadAsync(Request(RefreshOnly(account), "/a.mp3", forwardOnly: true), CancellationToken.None);

        fixture.Clock.Advance(OAuthEmulatorFixture.Lifetime);
        var result = await target.UploadAsync(Request(RefreshOnly(account), "/b.mp3", forwardOnly: true), CancellationToken.None);

        Assert.IsType<UploadResult.Uploaded>(result);
        Assert.Equal(2, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Upload_OfForwardOnlyContent_WhenTheTokenExpiresMidRun_IsTransientAndTheRetrySucceeds()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());
        Assert.IsType<UploadResult.Uploaded>(
            await target.UploadAsync(Request(RefreshOnly(account), "/first.mp3", forwardOnly: true), CancellationToken.None));

        account.ExpireAccessToken(); // Dropbox expires it early: the client's clock still thinks it is fresh
        var attempt = await target.UploadAsync(Request(RefreshOnly(account), "/second.mp3", forwardOnly: true), CancellationToken.None);
        var retry = await target.UploadAsync(Request(RefreshOnly(account), "/second.mp3", forwardOnly: true), CancellationToken.None);

        var transient = Assert.IsType<UploadResult.Transient>(attempt);
        Assert.Equal(DropboxUploadTarget.RefreshedReason, transient.Reason);
        Assert.False(transient.CountsAsAttempt); // the item was not at fault
        Assert.IsType<UploadResult.Uploaded>(retry);
        Assert.Equal(["/first.mp3", "/second.mp3"], account.Files().Select(f => f.PathDisplay).Order());
        Assert.Equal(2, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Upload_OfSeekableContent_WhenTheTokenExpiresMidRun_IsRefreshedAndSentAgainAtOnce()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());
        await target.UploadAsync(Request(RefreshOnly(account), "/first.mp3", forwardOnly: false), CancellationToken.None);

        account.ExpireAccessToken();
        var result = await target.UploadAsync(Request(RefreshOnly(account), "/second.mp3", forwardOnly: false), CancellationToken.None);

        var uploaded = Assert.IsType<UploadResult.Uploaded>(result);
        Assert.Equal(Size, uploaded.File.Size);
        Assert.Equal(2, account.Files().Count);
        Assert.Equal(2, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Upload_WithAWrongAppSecret_BlocksTheCustomer_NamingTheConfiguration()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource(appSecret: "wrong-app-secret"));

        var result = await target.UploadAsync(Request(RefreshOnly(account), "/a.mp3", forwardOnly: true), CancellationToken.None);

        var blocked = Assert.IsType<UploadResult.CustomerBlocked>(result); // items stay pending; nothing fails
        Assert.Equal(CustomerState.NeedsReauth, blocked.State);
        Assert.Contains("archiver.dropbox.app-key and app-secret", blocked.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-app-secret", blocked.Reason, StringComparison.Ordinal);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Upload_WithARevokedRefreshToken_BlocksTheCustomerUntilReauthorized()
    {
        var account = fixture.NewAccount();
        account.RevokeRefreshToken();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());

        var result = await target.UploadAsync(Request(RefreshOnly(account), "/a.mp3", forwardOnly: true), CancellationToken.None);

        var blocked = Assert.IsType<UploadResult.CustomerBlocked>(result);
        Assert.Equal(CustomerState.NeedsReauth, blocked.State);
        Assert.Contains("invalid_grant", blocked.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(account.RefreshToken!, blocked.Reason, StringComparison.Ordinal);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Upload_AfterTheRefreshTokenIsRevokedMidRun_BlocksTheCustomerUntilReauthorized()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());
        await target.UploadAsync(Request(RefreshOnly(account), "/a.mp3", forwardOnly: true), CancellationToken.None);

        account.RevokeRefreshToken();
        var result = await target.UploadAsync(Request(RefreshOnly(account), "/b.mp3", forwardOnly: true), CancellationToken.None);

        Assert.Equal(CustomerState.NeedsReauth, Assert.IsType<UploadResult.CustomerBlocked>(result).State);
    }

    [Fact]
    public async Task Upload_WhenTheTokenExpiresAndTheRefreshTokenIsRevoked_BlocksTheCustomer()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, source);
        await target.UploadAsync(Request(RefreshOnly(account), "/a.mp3", forwardOnly: true), CancellationToken.None);
        var stale = await source.GetAccessTokenAsync(new Secret(account.RefreshToken!));

        account.ExpireAccessToken();
        account.RevokeRefreshToken();
        var result = await target.UploadAsync(Request(RefreshOnly(account), "/b.mp3", forwardOnly: true), CancellationToken.None);

        var blocked = Assert.IsType<UploadResult.CustomerBlocked>(result);
        Assert.Equal(CustomerState.NeedsReauth, blocked.State);
        Assert.DoesNotContain(stale, blocked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ForACustomerWithOnlyAnAccessToken_UsesItAsBefore()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());

        var result = await target.UploadAsync(
            Request(new DropboxCredentials(new Secret(account.AccessToken)), "/a.mp3", forwardOnly: true), CancellationToken.None);

        Assert.IsType<UploadResult.Uploaded>(result);
        Assert.Equal(0, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Upload_ForACustomerWithOnlyAnExpiredAccessToken_StillBlocksTheCustomer()
    {
        var account = fixture.NewAccount();
        account.ExpireAccessToken();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock, fixture.NewTokenSource());

        var result = await target.UploadAsync(
            Request(new DropboxCredentials(new Secret(account.AccessToken)), "/a.mp3", forwardOnly: true), CancellationToken.None);

        Assert.Equal(CustomerState.NeedsReauth, Assert.IsType<UploadResult.CustomerBlocked>(result).State);
    }

    [Fact]
    public async Task Upload_WithARefreshTokenButNoTokenSource_UsesTheAccessTokenIfAny()
    {
        var account = fixture.NewAccount();
        var target = new DropboxUploadTarget(fixture.Client, fixture.Clock);
        var both = new DropboxCredentials(new Secret(account.AccessToken), new Secret(account.RefreshToken!));

        var withBoth = await target.UploadAsync(Request(both, "/a.mp3", forwardOnly: true), CancellationToken.None);
        var refreshOnly = await target.UploadAsync(Request(RefreshOnly(account), "/b.mp3", forwardOnly: true), CancellationToken.None);

        Assert.IsType<UploadResult.Uploaded>(withBoth);
        Assert.Equal(CustomerState.NeedsReauth, Assert.IsType<UploadResult.CustomerBlocked>(refreshOnly).State);
        Assert.Equal(0, account.Stats().TokenRefreshes);
    }

    private static DropboxCredentials RefreshOnly(EmulatorAccount account) =>
        new(AccessToken: null, RefreshToken: new Secret(account.RefreshToken!));

    private static UploadRequest Request(DropboxCredentials credentials, string path, bool forwardOnly)
    {
        Stream content = forwardOnly
            ? new GeneratedStream(Size, seed: path.Length)
            : new MemoryStream(TestUploads.Bytes(new string('x', Size)));
        return TestUploads.Request(credentials, path, content, Size);
    }
}
