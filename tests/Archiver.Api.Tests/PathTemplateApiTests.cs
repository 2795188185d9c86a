namespace Archiver.Api.Tests;

/// <summary>A path template that would fail every item is refused when a customer is created or changed, not later.</summary>
public sealed class PathTemplateApiTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync() => _node = await ApiNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("/x/{id}/../../{id}.{ext}", "'..'")]
    [InlineData("/x/./{id}.{ext}", "'.'")]
    [InlineData("/x//{id}.{ext}", "empty component")]
    [InlineData("/x/{kind}", "must contain {id}")]
    public async Task CreateCustomer_WithATemplateDropboxCannotStore_Is400NamingPathTemplateAndWhy(string template, string reason)
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers", new { id = "acme", accessToken = "t", pathTemplate = template });

        Assert.Equal(400, status);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("pathTemplate")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(404, (await _node.SendAsync(HttpMethod.Get, "/api/v1/customers/acme")).Status); // nothing was stored
    }

    [Theory]
    [InlineData("/x/{id}/../../{id}.{ext}", "'..'")]
    [InlineData("/x/{id}/", "empty component")]
    public async Task UpdateCustomer_WithATemplateDropboxCannotStore_Is400AndKeepsTheOldTemplate(string template, string reason)
    {
        var (created, _) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers", new { id = "acme", accessToken = "t", pathTemplate = "/calls/{id}.{ext}" });
        Assert.Equal(201, created);

        var (status, problem) = await _node.SendAsync(HttpMethod.Patch, "/api/v1/customers/acme", new { pathTemplate = template });

        Assert.Equal(400, status);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("pathTemplate")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("/calls/{id}.{ext}", (await _node.GetJsonAsync("/api/v1/customers/acme")).GetProperty("pathTemplate").GetString());
    }
}
