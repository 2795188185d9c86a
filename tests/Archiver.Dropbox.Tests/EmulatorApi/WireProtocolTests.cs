using System.Net;
using System.Text;
using System.Text.Json;
using Archiver.Dropbox.Emulator;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.EmulatorApi;

/// <summary>The emulator's answers on the wire, checked with a bare HttpClient rather than the Dropbox client.</summary>
public sealed class WireProtocolTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Arg = """{"path":"/calls/a.mp3","mode":"add","autorename":false,"mute":true}""";
    private static readonly byte[] Hello = TestUploads.Bytes("hello");

    [Fact]
    public async Task Upload_Answer_IsFileMetadataWithoutTagAsPlainJson()
    {
        var account = fixture.NewAccount();

        using var response = await UploadAsync("Bearer " + account.AccessToken, Arg, Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        using var json = await ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.False(root.TryGetProperty(".tag", out _));
        Assert.Equal("a.mp3", root.GetProperty("name").GetString());
        Assert.Equal(5, root.GetProperty("size").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", root.GetProperty("server_modified").GetString()!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", root.GetProperty("client_modified").GetString()!);
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("content_hash").GetString()!);
    }

    [Fact]
    public async Task GetMetadata_Answer_IsTaggedMetadata()
    {
        var account = fixture.NewAccount();
        (await UploadAsync("Bearer " + account.AccessToken, Arg, Hello)).Dispose();

        using var response = await fixture.PostAsync("2/files/get_metadata", account.AccessToken, """{"path":"/calls/a.mp3"}""");

        using var json = await ReadJsonAsync(response);
        Assert.Equal("file", json.RootElement.GetProperty(".tag").GetString());
    }

    [Fact]
    public async Task EveryAnswer_CarriesARequestId()
    {
        using var ok = await UploadAsync("Bearer " + fixture.NewAccount().AccessToken, Arg, Hello);
        using var badRequest = await UploadAsync(authorization: null, Arg, Hello);
        using var unknown = await fixture.Http.GetAsync(new Uri(fixture.Emulator.BaseUri, "/2/files/nothing"));

        Assert.All([ok, badRequest, unknown], r => Assert.Matches("^[0-9a-f]{32}$", r.Headers.GetValues("X-Dropbox-Request-Id").Single()));
    }

    [Fact]
    public async Task Upload_WithoutAuthorization_IsAPlainTextBadRequest()
    {
        using var response = await UploadAsync(authorization: null, Arg, Hello);

        await AssertBadRequestAsync(response, "Must provide HTTP header \"Authorization\"");
    }

    [Fact]
    public async Task Upload_WithAMalformedAuthorization_IsAPlainTextBadRequest()
    {
        using var response = await UploadAsync("Basic abc", Arg, Hello);

        await AssertBadRequestAsync(response, "Expecting \"Bearer <oauth2-access-token>\"");
    }

    [Fact]
    public async Task Upload_WithAnUnknownToken_IsA401JsonInvalidAccessToken()
    {
        using var response = await UploadAsync("Bearer nobody", Arg, Hello);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        using var json = await ReadJsonAsync(response);
        Assert.Equal("invalid_access_token", json.RootElement.GetProperty("error").GetProperty(".tag").GetString());
    }

    [Fact]
    public async Task Upload_WithAWrongContentType_IsAPlainTextBadRequest()
    {
        using var response = await UploadAsync("Bearer " + fixture.NewAccount().AccessToken, Arg, Hello, "application/octet-stream; charset=utf8");

        await AssertBadRequestAsync(response, "Bad HTTP \"Content-Type\" header");
    }

    [Fact]
    public async Task Upload_WithAnArgThatIsNotJson_CouldNotDecodeInputAsJson()
    {
        using var response = await UploadAsync("Bearer " + fixture.NewAccount().AccessToken, "{path:", Hello);

        await AssertBadRequestAsync(response, "could not decode input as JSON");
    }

    [Fact]
    public async Task Upload_WithRawNonAsciiInTheArgHeader_IsABadRequest()
    {
        var account = fixture.NewAccount();
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var http = new HttpClient(handler);
        using var request = UploadRequest("Bearer " + account.AccessToken, """{"path":"/Müller.mp3"}""", Hello);

        using var response = await http.SendAsync(request);

        await AssertBadRequestAsync(response, "\\uXXXX");
        Assert.Empty(account.Files());
    }

    [Fact]
    public async Task Upload_WithAContentHashThatDoesNotMatchTheBody_IsAContentHashMismatch()
    {
        var arg = $$"""{"path":"/a.txt","content_hash":"{{new string('0', 64)}}"}""";

        using var response = await UploadAsync("Bearer " + fixture.NewAccount().AccessToken, arg, Hello);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal("content_hash_mismatch", json.RootElement.GetProperty("error").GetProperty(".tag").GetString());
    }

    [Fact]
    public async Task Upload_Conflict_HasTheUploadWriteFailedShape()
    {
        var token = "Bearer " + fixture.NewAccount().AccessToken;
        (await UploadAsync(token, Arg, Hello)).Dispose();

        using var response = await UploadAsync(token, Arg, TestUploads.Bytes("other"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("path", error.GetProperty(".tag").GetString());
        Assert.Equal("conflict", error.GetProperty("reason").GetProperty(".tag").GetString());
        Assert.Equal("file", error.GetProperty("reason").GetProperty("conflict").GetProperty(".tag").GetString());
        Assert.StartsWith("path/conflict/file/", json.RootElement.GetProperty("error_summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WithTheModeAsATaggedObject_IsAccepted()
    {
        var token = "Bearer " + fixture.NewAccount().AccessToken;
        (await UploadAsync(token, Arg, Hello)).Dispose();

        using var response = await UploadAsync(token, """{"path":"/calls/a.mp3","mode":{".tag":"overwrite"}}""", TestUploads.Bytes("other"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Upload_WithoutAMode_AddsTheFile_AsDropboxDefaultsToAdd()
    {
        var account = fixture.NewAccount();
        var token = "Bearer " + account.AccessToken;

        using var first = await UploadAsync(token, """{"path":"/a.txt"}""", Hello);
        using var second = await UploadAsync(token, """{"path":"/a.txt"}""", TestUploads.Bytes("other"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(5, Assert.Single(account.Files()).Size);
    }

    [Fact]
    public async Task RateLimitedAnswer_HasRetryAfterHeaderAndMatchingBody()
    {
        var account = fixture.NewAccount(new AccountLimits(RatePerSecond: 0.25, Burst: 1));
        (await UploadAsync("Bearer " + account.AccessToken, Arg, Hello)).Dispose();

        using var response = await UploadAsync("Bearer " + account.AccessToken, Arg, Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        using var json = await ReadJsonAsync(response);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("too_many_requests", error.GetProperty("reason").GetProperty(".tag").GetString());
        Assert.Equal(retryAfter.TotalSeconds, error.GetProperty("retry_after").GetInt32());
    }

    [Fact]
    public async Task ApiRoute_CalledWithGet_IsRefused()
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Emulator.BaseUri, "/2/files/upload"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_IsPayloadTooLarge()
    {
        await using var small = await DropboxEmulator.StartAsync(new EmulatorOptions { MaxUploadBytes = 1024 }, CancellationToken.None);
        var account = small.AddAccount("small", "small-token", AccountLimits.Unlimited);
        using var request = UploadRequest("Bearer small-token", Arg, new byte[4096]);
        request.RequestUri = new Uri(small.BaseUri, "/2/files/upload");

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal("payload_too_large", json.RootElement.GetProperty("error").GetProperty(".tag").GetString());
        Assert.Empty(account.Files());
    }

    private Task<HttpResponseMessage> UploadAsync(string? authorization, string arg, byte[] body, string contentType = "application/octet-stream")
    {
        var request = UploadRequest(authorization, arg, body, contentType);
        return fixture.Http.SendAsync(request);
    }

    private HttpRequestMessage UploadRequest(string? authorization, string arg, byte[] body, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Emulator.BaseUri, "/2/files/upload")) { Content = content };
        request.Headers.TryAddWithoutValidation("Dropbox-API-Arg", arg);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string expectedText)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(expectedText, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
