using System.Text.Json;

namespace Archiver.Api.Tests;

public sealed class CustomerApiTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync() => _node = await ApiNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task CreatedCustomer_IsListedAndShown_SayingATokenIsSetWithoutReturningIt()
    {
        var (status, created) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers",
            new { id = "acme", name = "Acme Telecom", accessToken = "sl.very-secret", ratePerSecond = 20.0, parallelism = 2 });
        var listed = await _node.GetJsonAsync("/api/v1/customers");
        var shown = await _node.GetJsonAsync("/api/v1/customers/acme");

        Assert.Equal(201, status);
        Assert.Equal("Acme Telecom", shown.GetProperty("name").GetString());
        Assert.True(shown.GetProperty("hasAccessToken").GetBoolean());
        Assert.False(shown.GetProperty("hasRefreshToken").GetBoolean());
        Assert.Equal(20.0, shown.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal("Active", shown.GetProperty("state").GetString());
        Assert.Equal("acme", Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.DoesNotContain("sl.very-secret", created.ToString() + listed + shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCustomer_WithMalformedJson_Is400NamingTheProblem()
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers", raw: "{\"id\": \"acme\", ");

        Assert.Equal(400, status);
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
        Assert.Contains("line", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateCustomer_WithBadFields_IsAValidationProblemPerField()
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers",
            new { id = "Not Valid", ratePerSecond = -1.0, pathTemplate = "/x/{kind}" });

        Assert.Equal(400, status);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("id", out _));
        Assert.True(errors.TryGetProperty("accessToken", out _));
        Assert.True(errors.TryGetProperty("ratePerSecond", out _));
        Assert.Contains("{id}", errors.GetProperty("pathTemplate")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.05)] // slower than the throttle can go: a 429 would have raised it to its floor
    [InlineData(10_001)]
    public async Task CreateAndUpdate_WithARateOutsideTheConfigurableRange_AreRefused(double rate)
    {
        await _node.AddCustomerAsync("bounded");

        var (created, createProblem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers", new { id = "slow", accessToken = "t", ratePerSecond = rate });
        var (updated, updateProblem) = await _node.SendAsync(HttpMethod.Patch, "/api/v1/customers/bounded", new { ratePerSecond = rate });

        Assert.Equal((400, 400), (created, updated));
        Assert.Equal(
            "must be between 0.1 and 10000.",
            createProblem.GetProperty("errors").GetProperty("ratePerSecond")[0].GetString());
        Assert.True(updateProblem.GetProperty("errors").TryGetProperty("ratePerSecond", out _));
    }

    [Fact]
    public async Task CreateCustomer_Twice_IsAConflict()
    {
        await _node.AddCustomerAsync("acme");

        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers", new { id = "acme", accessToken = "t" });

        Assert.Equal(409, status);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Update_ChangesWhatIsGivenAndKeepsTheRest()
    {
        var (_, _) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers", new { id = "acme", accessToken = "t", ratePerSecond = 20.0, burst = 5 });

        var (status, updated) = await _node.SendAsync(HttpMethod.Patch, "/api/v1/customers/acme", new { name = "Acme Inc", parallelism = 3 });

        Assert.Equal(200, status);
        Assert.Equal("Acme Inc", updated.GetProperty("name").GetString());
        Assert.Equal(3, updated.GetProperty("parallelism").GetInt32());
        Assert.Equal(20.0, updated.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(5, updated.GetProperty("burst").GetInt32());
        Assert.True(updated.GetProperty("hasAccessToken").GetBoolean());
    }

    [Fact]
    public async Task Update_WithNewTokens_NeverEchoesThemInTheAnswerOrTheJournal()
    {
        await _node.AddCustomerAsync("acme");

        var (status, updated) = await _node.SendAsync(HttpMethod.Patch, "/api/v1/customers/acme",
            new { accessToken = "sl.rotated-secret", refreshToken = "refresh-rotated-secret" });
        var events = await _node.GetJsonAsync("/api/v1/events?customer=acme");

        Assert.Equal(200, status);
        Assert.True(updated.GetProperty("hasRefreshToken").GetBoolean());
        Assert.Contains(events.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "customer.updated");
        Assert.DoesNotContain("rotated-secret", updated.ToString() + events, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/customers/nobody")]
    [InlineData("PATCH", "/api/v1/customers/nobody")]
    [InlineData("POST", "/api/v1/customers/nobody/pause")]
    [InlineData("POST", "/api/v1/customers/nobody/resume")]
    [InlineData("POST", "/api/v1/customers/nobody/retry-failed")]
    [InlineData("GET", "/api/v1/customers/NOT%20AN%20ID")]
    public async Task UnknownCustomer_Is404Problem(string method, string path)
    {
        var (status, problem) = await _node.SendAsync(new HttpMethod(method), path, method == "PATCH" ? new { name = "x" } : null);

        Assert.Equal(404, status);
        Assert.Equal("Unknown customer", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task PauseAndResume_ChangeTheStateWithAReasonThatStatusShows()
    {
        await _node.AddCustomerAsync("acme");

        var (paused, _) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/pause");
        var whilePaused = Row(await _node.GetJsonAsync("/api/v1/status"), "acme");
        var (resumed, _) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/resume");
        var afterResume = Row(await _node.GetJsonAsync("/api/v1/status"), "acme");

        Assert.Equal((200, 200), (paused, resumed));
        Assert.Equal("Paused", whilePaused.GetProperty("state").GetString());
        Assert.Equal("paused by an operator", whilePaused.GetProperty("stateReason").GetString());
        Assert.Equal("Active", afterResume.GetProperty("state").GetString());
    }

    [Fact]
    public async Task PausedCustomer_ArchivesNothingUntilResumed()
    {
        await _node.AddCustomerAsync("acme");
        await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/pause");
        await Testing.Eventually.TrueAsync(async () =>
            Row(await _node.GetJsonAsync("/api/v1/status"), "acme").GetProperty("phase").GetString() is null or "stopped",
            "the paused customer's pipeline stops");

        var (status, _) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("acme", "call-1", _node.ContentFile("call-1.wav")));
        Assert.Equal(201, status);
        Assert.Empty(_node.Dropbox.Files);

        await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/resume");
        await Testing.Eventually.TrueAsync(() => _node.Dropbox.Files.Count == 1, "the resumed customer archives its item");
    }

    [Fact]
    public async Task RetryFailed_SendsFailedItemsBackAndTheyArchive()
    {
        await _node.AddCustomerAsync("acme");
        var missing = Path.Combine(_node.Content, "late.wav");
        await _node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("acme", "late", missing));
        await Testing.Eventually.TrueAsync(async () =>
            Row(await _node.GetJsonAsync("/api/v1/status"), "acme").GetProperty("failed").GetInt64() == 1, "the item with no content fails");

        _node.ContentFile("late.wav");
        var (status, retried) = await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/retry-failed");

        Assert.Equal(200, status);
        Assert.Equal(1, retried.GetProperty("retried").GetInt32());
        await Testing.Eventually.TrueAsync(async () =>
            Row(await _node.GetJsonAsync("/api/v1/status"), "acme").GetProperty("archived").GetInt64() == 1, "the retried item is archived");
    }

    internal static JsonElement Row(JsonElement status, string customer) =>
        status.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == customer);
}
