namespace Archiver.Api.Tests;

public sealed class EventApiTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync() => _node = await ApiNode.StartAsync(new Dictionary<string, string?> { ["archiver:api:enabled"] = "true" });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Events_ArePagedBySequenceAndFilteredByCustomerAndType()
    {
        await _node.AddCustomerAsync("acme");
        await _node.AddCustomerAsync("globex");
        await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/pause");
        await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/resume");

        var first = await _node.GetJsonAsync("/api/v1/events?limit=1");
        var next = first.GetProperty("next").GetInt64();
        var second = await _node.GetJsonAsync($"/api/v1/events?after={next}&limit=1");
        var acmeStates = await _node.GetJsonAsync("/api/v1/events?customer=acme&type=customer.state_changed");
        var globex = await _node.GetJsonAsync("/api/v1/events?customer=globex");

        Assert.Single(first.GetProperty("events").EnumerateArray());
        var secondEvent = Assert.Single(second.GetProperty("events").EnumerateArray());
        Assert.True(secondEvent.GetProperty("sequence").GetInt64() > next);
        var states = acmeStates.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(2, states.Length);
        Assert.All(states, e => Assert.Equal(("acme", "customer.state_changed"), (e.GetProperty("customer").GetString(), e.GetProperty("type").GetString())));
        Assert.All(globex.GetProperty("events").EnumerateArray(), e => Assert.Equal("globex", e.GetProperty("customer").GetString()));
        Assert.Contains(globex.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "customer.added");
    }

    [Theory]
    [InlineData("/api/v1/events?after=-1")]
    [InlineData("/api/v1/events?limit=0")]
    [InlineData("/api/v1/events?limit=100000")]
    [InlineData("/api/v1/events?customer=Not%20An%20Id")]
    public async Task Events_WithBadParameters_AreAValidationProblem(string path)
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Get, path);

        Assert.Equal(400, status);
        Assert.True(problem.TryGetProperty("errors", out _));
    }
}
