using System.Net;
using Archiver.Core.Content;
using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Core.Tests.Content;

public sealed class HttpContentSourceTests
{
    private readonly ScriptedHandler _server = new();

    private HttpContentSource Source(params string[] allowedHosts) => new(new HttpClient(_server), allowedHosts);

    private static ArchiveItem ItemAt(string url) =>
        new(1, new CustomerId("acme"), "x", ItemKind.Fax, new Uri(url), new ItemMetadata(DateTimeOffset.UnixEpoch), null, 0, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Open_AllowedHost_StreamsTheBodyWithItsLength()
    {
        _server.Answer("https://pbx.example.com/fax/1.pdf", HttpStatusCode.OK, "%PDF-1.4");

        await using var content = await Source("pbx.example.com").OpenAsync(ItemAt("https://pbx.example.com/fax/1.pdf"), CancellationToken.None);

        Assert.Equal(8, content.Length);
        Assert.Equal("%PDF-1.4", await new StreamReader(content.Stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Open_HostNotAllowed_IsRefusedWithoutARequest()
    {
        var error = await Assert.ThrowsAsync<ContentUnavailableException>(
            () => Source("pbx.example.com").OpenAsync(ItemAt("http://169.254.169.254/latest/meta-data"), CancellationToken.None));

        Assert.True(error.IsPermanent);
        Assert.Contains("not an allowed content host", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requested);
    }

    [Fact]
    public async Task Open_RedirectToAnotherHost_IsRefusedBeforeFollowingIt()
    {
        _server.Redirect("https://pbx.example.com/a", "http://internal.example.net/secret");

        var error = await Assert.ThrowsAsync<ContentUnavailableException>(
            () => Source("pbx.example.com").OpenAsync(ItemAt("https://pbx.example.com/a"), CancellationToken.None));

        Assert.True(error.IsPermanent);
        Assert.DoesNotContain(_server.Requested, uri => uri.Host == "internal.example.net");
    }

    [Fact]
    public async Task Open_RedirectWithinAllowedHosts_IsFollowed()
    {
        _server.Redirect("https://pbx.example.com/a", "/b");
        _server.Answer("https://pbx.example.com/b", HttpStatusCode.OK, "moved");

        await using var content = await Source("pbx.example.com").OpenAsync(ItemAt("https://pbx.example.com/a"), CancellationToken.None);

        Assert.Equal("moved", await new StreamReader(content.Stream).ReadToEndAsync());
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, true)]
    [InlineData(HttpStatusCode.Forbidden, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    public async Task Open_ErrorStatus_IsPermanentOnlyWhenRetryingCannotHelp(HttpStatusCode status, bool permanent)
    {
        _server.Answer("https://pbx.example.com/x", status, "");

        var error = await Assert.ThrowsAsync<ContentUnavailableException>(
            () => Source("pbx.example.com").OpenAsync(ItemAt("https://pbx.example.com/x"), CancellationToken.None));

        Assert.Equal(permanent, error.IsPermanent);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_UnreachableHost_IsTransient()
    {
        var error = await Assert.ThrowsAsync<ContentUnavailableException>(
            () => Source("pbx.example.com").OpenAsync(ItemAt("https://pbx.example.com/nobody-answers"), CancellationToken.None));

        Assert.False(error.IsPermanent);
    }

    /// <summary>Answers from a script; an unscripted address behaves like a host that cannot be reached.</summary>
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Dictionary<string, Func<HttpResponseMessage>> _answers = [];

        public List<Uri> Requested { get; } = [];

        public void Answer(string url, HttpStatusCode status, string body) =>
            _answers[url] = () => new HttpResponseMessage(status) { Content = new StringContent(body) };

        public void Redirect(string url, string location) =>
            _answers[url] = () => new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri(location, UriKind.RelativeOrAbsolute) } };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!);
            return _answers.TryGetValue(request.RequestUri!.ToString(), out var answer)
                ? Task.FromResult(answer())
                : throw new HttpRequestException("Connection refused");
        }
    }
}
