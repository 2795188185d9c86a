using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.EmulatorApi;

public sealed class TokenEndpointTests(OAuthEmulatorFixture fixture) : IClassFixture<OAuthEmulatorFixture>
{
    [Fact]
    public async Task Refresh_WithAValidRefreshToken_IssuesAShortLivedBearerToken()
    {
        var account = fixture.NewAccount();

        using var response = await PostAsync(Form(account.RefreshToken!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await JsonAsync(response);
        var accessToken = json.RootElement.GetProperty("access_token").GetString();
        Assert.StartsWith("sl.", accessToken, StringComparison.Ordinal);
        Assert.Equal("bearer", json.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(14400, json.RootElement.GetProperty("expires_in").GetInt64());
        Assert.Equal(1, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Refresh_Twice_IssuesDifferentTokensThatBothWork()
    {
        var account = fixture.NewAccount();

        var first = await RefreshAsync(account);
        var second = await RefreshAsync(account);

        Assert.NotEqual(first, second);
        await fixture.AssertUploadsToAsync(account, first);
        await fixture.AssertUploadsToAsync(account, second);
    }

    [Fact]
    public async Task IssuedToken_AfterItsLifetime_AnswersExpiredAccessToken()
    {
        var account = fixture.NewAccount();
        var token = await RefreshAsync(account);

        fixture.Clock.Advance(OAuthEmulatorFixture.Lifetime);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Emulator.BaseUri, "2/files/list_folder"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
            Content = new StringContent("{\"path\":\"\"}", Encoding.UTF8, "application/json"),
        };
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = await JsonAsync(response);
        Assert.Equal("expired_access_token", json.RootElement.GetProperty("error").GetProperty(".tag").GetString());
    }

    [Fact]
    public async Task StaticAccessToken_KeepsWorkingBesideIssuedTokens()
    {
        var account = fixture.NewAccount();
        await RefreshAsync(account);

        fixture.Clock.Advance(OAuthEmulatorFixture.Lifetime * 2);

        await fixture.AssertUploadsToAsync(account, account.AccessToken);
    }

    [Fact]
    public async Task Refresh_WithARevokedRefreshToken_IsInvalidGrant()
    {
        var account = fixture.NewAccount();
        account.RevokeRefreshToken();

        using var response = await PostAsync(Form(account.RefreshToken!));

        await AssertOAuthErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task Refresh_WithAnUnknownRefreshToken_IsInvalidGrant()
    {
        using var response = await PostAsync(Form("not-a-refresh-token"));

        await AssertOAuthErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task RevokingTheRefreshToken_InvalidatesTheAccessTokensIssuedFromIt()
    {
        var account = fixture.NewAccount();
        var token = await RefreshAsync(account);

        account.RevokeRefreshToken();

        var e = await Assert.ThrowsAsync<Errors.DropboxAuthException>(
            () => fixture.Client.UploadAsync(token, new Models.CommitInfo("/after-revoke.txt"), TestUploads.Bytes("refused")));
        Assert.Equal(Errors.AuthErrorKind.InvalidAccessToken, e.Kind);
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Refresh_WithTheWrongAppSecret_IsInvalidClient()
    {
        var account = fixture.NewAccount();

        using var response = await PostAsync(Form(account.RefreshToken!, secret: "wrong-secret"));

        await AssertOAuthErrorAsync(response, "invalid_client");
        Assert.Equal(0, account.Stats().TokenRefreshes);
    }

    [Fact]
    public async Task Refresh_WithClientCredentialsInHttpBasic_IsAccepted()
    {
        var account = fixture.NewAccount();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.TokenUri)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = account.RefreshToken!,
            }),
        };
        var basic = Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{OAuthEmulatorFixture.AppKey}:{OAuthEmulatorFixture.AppSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refresh_WithAnotherGrantType_IsUnsupportedGrantType()
    {
        var form = Form("whatever");
        form["grant_type"] = "authorization_code";

        using var response = await PostAsync(form);

        await AssertOAuthErrorAsync(response, "unsupported_grant_type");
    }

    [Fact]
    public void EmulatorOptions_DefaultToDropboxsFourHourLifetime() =>
        Assert.Equal(TimeSpan.FromHours(4), new EmulatorOptions().AccessTokenLifetime);

    private static Dictionary<string, string> Form(string refreshToken, string secret = OAuthEmulatorFixture.AppSecret) => new()
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = OAuthEmulatorFixture.AppKey,
        ["client_secret"] = secret,
    };

    private async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> form) =>
        await fixture.Http.PostAsync(fixture.TokenUri, new FormUrlEncodedContent(form));

    private async Task<string> RefreshAsync(EmulatorAccount account)
    {
        using var response = await PostAsync(Form(account.RefreshToken!));
        response.EnsureSuccessStatusCode();
        using var json = await JsonAsync(response);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonDocument> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = await JsonAsync(response);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error_description").GetString()));
    }
}
