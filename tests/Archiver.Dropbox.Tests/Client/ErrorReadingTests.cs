using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Archiver.Dropbox.Errors;
using Archiver.Dropbox.Models;
using Archiver.Dropbox.Tests.Support;

namespace Archiver.Dropbox.Tests.Client;

/// <summary>Answers the emulator never gives, read from canned responses.</summary>
public sealed class ErrorReadingTests
{
    [Fact]
    public async Task RateLimit_WithAPlainTextBody_IsTooManyRequestsForTheHeadersWait()
    {
        var error = await FailAsync<DropboxRateLimitException>(() =>
            Answer(HttpStatusCode.TooManyRequests, "text/plain", "Too many requests", retryAfterSeconds: 15));

        Assert.Equal(RateLimitReason.TooManyRequests, error.Reason);
        Assert.Equal(TimeSpan.FromSeconds(15), error.RetryAfter);
    }

    [Fact]
    public async Task RateLimit_WaitsTheLongerOfHeaderAndBody()
    {
        const string body = """{"error_summary":"too_many_write_operations/..","error":{"reason":{".tag":"too_many_write_operations"},"retry_after":10}}""";

        var error = await FailAsync<DropboxRateLimitException>(() =>
            Answer(HttpStatusCode.TooManyRequests, "application/json", body, retryAfterSeconds: 3));

        Assert.Equal(RateLimitReason.TooManyWriteOperations, error.Reason);
        Assert.Equal(TimeSpan.FromSeconds(10), error.RetryAfter);
    }

    [Fact]
    public async Task RateLimit_WithAZeroWait_WaitsAtLeastOneSecond()
    {
        const string body = """{"error":{"reason":{".tag":"too_many_write_operations"},"retry_after":0}}""";

        var error = await FailAsync<DropboxRateLimitException>(() =>
            Answer(HttpStatusCode.TooManyRequests, "application/json", body, retryAfterSeconds: 0));

        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public async Task AuthError_WithAnUnknownTag_IsOther()
    {
        var error = await FailAsync<DropboxAuthException>(() =>
            Answer(HttpStatusCode.Unauthorized, "application/json", """{"error_summary":"brand_new/..","error":{".tag":"brand_new"}}"""));

        Assert.Equal(AuthErrorKind.Other, error.Kind);
        Assert.Equal("brand_new/..", error.ErrorSummary);
    }

    [Fact]
    public async Task AuthError_MissingScope_NamesTheScope()
    {
        const string body = """{"error_summary":"missing_scope/.","error":{".tag":"missing_scope","required_scope":"files.content.write"}}""";

        var error = await FailAsync<DropboxAuthException>(() => Answer(HttpStatusCode.Unauthorized, "application/json", body));

        Assert.Equal(AuthErrorKind.MissingScope, error.Kind);
        Assert.Equal("files.content.write", error.RequiredScope);
    }

    [Fact]
    public async Task PathError_WithUnknownTags_IsOther()
    {
        const string body = """{"error":{".tag":"path","reason":{".tag":"conflict","conflict":{".tag":"brand_new"}}}}""";

        var error = await FailAsync<DropboxPathException>(() => Answer(HttpStatusCode.Conflict, "application/json", body));

        Assert.Equal(PathErrorKind.Conflict, error.Kind);
        Assert.Equal(WriteConflictKind.Other, error.Conflict);
    }

    [Fact]
    public async Task RouteError_OtherThanPath_KeepsItsTag()
    {
        var error = await FailAsync<DropboxRouteException>(() =>
            Answer(HttpStatusCode.Conflict, "application/json", """{"error_summary":"payload_too_large/..","error":{".tag":"payload_too_large"}}"""));

        Assert.IsNotType<DropboxPathException>(error);
        Assert.Equal("payload_too_large", error.Tag);
    }

    [Fact]
    public async Task ServerError_WithAnHtmlBody_IsAServerError()
    {
        var error = await FailAsync<DropboxServerException>(() =>
            Answer(HttpStatusCode.BadGateway, "text/html", "<html>oops</html>"));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
    }

    [Fact]
    public async Task Success_WithAnUnreadableBody_IsAnUnexpectedResponse()
    {
        await FailAsync<DropboxUnexpectedResponseException>(() => Answer(HttpStatusCode.OK, "application/json", "{not json"));
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string contentType, string body, int? retryAfterSeconds = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        response.Headers.Add("X-Dropbox-Request-Id", "0123456789abcdef0123456789abcdef");
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }

    private static async Task<TException> FailAsync<TException>(Func<HttpResponseMessage> respond)
        where TException : DropboxException
    {
        using var http = new HttpClient(new CannedResponseHandler(respond));
        var client = new DropboxClient(http, new DropboxClientOptions());

        var error = await Assert.ThrowsAnyAsync<TException>(
            () => client.UploadAsync("token", new CommitInfo("/a.txt"), new MemoryStream([1, 2, 3]), 3, CancellationToken.None));

        Assert.Equal("0123456789abcdef0123456789abcdef", error.RequestId);
        return error;
    }
}
