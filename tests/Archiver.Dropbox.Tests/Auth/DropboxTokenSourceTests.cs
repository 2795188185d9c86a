using System.Net;
using System.Text;
using Archiver.Core.Customers;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Auth;

public sealed class DropboxTokenSourceTests(OAuthEmulatorFixture fixture) : IClassFixture<OAuthEmulatorFixture>
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AccessToken_WhileFresh_IsServedFromTheCacheWithoutAnotherRefresh()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource();

        var first = await source.GetAccessTokenAsync(new Secret(account.RefreshToken!));
        var second = await source.GetAccessTokenAsync(new Secret(account.RefreshToken!));

        Assert.Equal(first, second);
        Assert.Equal(1, account.Stats().TokenRefreshes);
        await fixture.AssertUploadsToAsync(account, first);
    }

    [Fact]
    public async Task AccessToken_FiveMinutesBeforeItsExpiry_IsRefreshedProactively()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource();
        var refreshToken = new Secret(account.RefreshToken!);
        var first = await source.GetAccessTokenAsync(refreshToken);

        fixture.Clock.Advance(OAuthEmulatorFixture.Lifetime - Margin - TimeSpan.FromSeconds(1));
        var stillCached = await source.GetAccessTokenAsync(refreshToken);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = await source.GetAccessTokenAsync(refreshToken);

        Assert.Equal(first, stillCached);
        Assert.NotEqual(first, renewed);
        Assert.Equal(2, account.Stats().TokenRefreshes);
        await fixture.AssertUploadsToAsync(account, renewed);
    }

    [Fact]
    public async Task ConcurrentCallers_ForOneRefreshToken_ShareASingleRefresh()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            Task.Run(async () => await source.GetAccessTokenAsync(new Secret(account.RefreshToken!)))));

        Assert.Single(tokens.Distinct());
        Assert.Equal(1, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task DifferentRefreshTokens_GetTheirOwnAccountsTokens()
    {
        var acme = fixture.NewAccount();
        var globex = fixture.NewAccount();
        var source = fixture.NewTokenSource();

        var acmeToken = await source.GetAccessTokenAsync(new Secret(acme.RefreshToken!));
        var globexToken = await source.GetAccessTokenAsync(new Secret(globex.RefreshToken!));

        Assert.NotEqual(acmeToken, globexToken);
        Assert.Equal(1, acme.Stats().TokenRefreshes);
        Assert.Equal(1, globex.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Invalidate_OfTheCachedToken_MakesTheNextCallRefresh()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource();
        var refreshToken = new Secret(account.RefreshToken!);
        var first = await source.GetAccessTokenAsync(refreshToken);

        source.Invalidate(refreshToken, first);
        var second = await source.GetAccessTokenAsync(refreshToken);

        Assert.NotEqual(first, second);
        Assert.Equal(2, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Invalidate_OfAnAlreadyReplacedToken_KeepsTheNewOne()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource();
        var refreshToken = new Secret(account.RefreshToken!);
        var stale = await source.GetAccessTokenAsync(refreshToken);
        source.Invalidate(refreshToken, stale);
        var current = await source.GetAccessTokenAsync(refreshToken);

        source.Invalidate(refreshToken, stale);

        Assert.Equal(current, await source.GetAccessTokenAsync(refreshToken));
        Assert.Equal(2, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task RevokedRefreshToken_ThrowsInvalidAccessTokenNamingInvalidGrant_WithoutRevealingTokens()
    {
        var account = fixture.NewAccount();
        account.RevokeRefreshToken();
        var source = fixture.NewTokenSource();

        var e = await Assert.ThrowsAsync<DropboxAuthException>(
            async () => await source.GetAccessTokenAsync(new Secret(account.RefreshToken!)));

        Assert.Equal(AuthErrorKind.InvalidAccessToken, e.Kind);
        Assert.Contains("invalid_grant", e.Message, StringComparison.Ordinal);
        AssertRevealsNothing(e, account.RefreshToken!, account.AccessToken, OAuthEmulatorFixture.AppSecret);
    }

    [Fact]
    public async Task WrongAppSecret_ThrowsAnAppCredentialsFailure_WithoutRevealingTheSecret()
    {
        var account = fixture.NewAccount();
        var source = fixture.NewTokenSource(appSecret: "wrong-app-secret");

        var e = await Assert.ThrowsAsync<DropboxAuthException>(
            async () => await source.GetAccessTokenAsync(new Secret(account.RefreshToken!)));

        Assert.Equal(AuthErrorKind.InvalidApp, e.Kind);
        Assert.Contains("invalid_client", e.Message, StringComparison.Ordinal);
        AssertRevealsNothing(e, account.RefreshToken!, "wrong-app-secret", OAuthEmulatorFixture.AppSecret);
    }

    [Fact]
    public async Task TokenEndpointServerError_ThrowsAServerException()
    {
        using var http = new HttpClient(new CannedResponseHandler(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));
        var source = fixture.NewTokenSource(http: http);

        await Assert.ThrowsAsync<DropboxServerException>(async () => await source.GetAccessTokenAsync(new Secret("refresh")));
    }

    [Fact]
    public async Task TokenWithoutAnExpiry_IsRefreshedOnEveryUse()
    {
        var calls = 0;
        using var http = new HttpClient(new CannedResponseHandler(() =>
        {
            Interlocked.Increment(ref calls);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("{\"access_token\":\"sl.abc\",\"token_type\":\"bearer\"}", Encoding.UTF8, "application/json"),
            };
        }));
        var source = fixture.NewTokenSource(http: http);

        await source.GetAccessTokenAsync(new Secret("refresh"));
        await source.GetAccessTokenAsync(new Secret("refresh"));

        Assert.Equal(2, calls);
    }

    private static void AssertRevealsNothing(Exception e, params string[] secrets)
    {
        var text = e.ToString();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
