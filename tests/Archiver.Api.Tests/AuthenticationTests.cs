using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Archiver.Api.Tests;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync() => _node = await ApiNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-the-token")]
    [InlineData("Basic dGVzdC1hcGktdG9rZW4=")]
    [InlineData("Bearer test-api-token-but-longer")]
    public async Task ApiRequest_WithoutTheRightToken_IsRefusedWith401Problem(string? authorization)
    {
        using var client = new HttpClient { BaseAddress = _node.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ApiRequest_WithTheToken_IsAnswered()
    {
        using var client = new HttpClient { BaseAddress = _node.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiNode.Token);

        using var response = await client.GetAsync(new Uri("/api/v1/customers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StatusPage_IsServedWithoutTheTokenAndAsksForIt()
    {
        using var client = new HttpClient { BaseAddress = _node.Address };

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var script = await client.GetStringAsync(new Uri("/status.js", UriKind.Relative));

        Assert.Contains("<table", html, StringComparison.Ordinal);
        Assert.Contains("sessionStorage", script, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiNode.Token, html + script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_IsAProblemDocument()
    {
        var (status, body) = await _node.SendAsync(HttpMethod.Get, "/api/v1/nothing-here");

        Assert.Equal(404, status);
        Assert.Equal(404, body.GetProperty("status").GetInt32());
    }
}
