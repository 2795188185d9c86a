using System.Text;

namespace Archiver.Api.Tests;

public sealed class ItemApiTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync() => _node = await ApiNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task EnqueuedItem_IsArchivedAndCountedInStatus()
    {
        await _node.AddCustomerAsync("acme");

        var (status, created) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("acme", "call-1", _node.ContentFile("call-1.wav", 4096)));
        var (again, duplicate) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("acme", "call-1", _node.ContentFile("call-1.wav", 4096)));

        Assert.Equal(201, status);
        Assert.Equal(200, again);
        Assert.False(duplicate.GetProperty("created").GetBoolean());
        Assert.Equal(created.GetProperty("itemId").GetInt64(), duplicate.GetProperty("itemId").GetInt64());
        await Testing.Eventually.TrueAsync(async () =>
        {
            var row = CustomerApiTests.Row(await _node.GetJsonAsync("/api/v1/status"), "acme");
            return row.GetProperty("archived").GetInt64() == 1 && row.GetProperty("backlog").GetInt64() == 0
                && row.GetProperty("bytesArchived").GetInt64() == 4096;
        }, "status shows the item archived");
        Assert.Equal("/Archiver/calls/2026/11/24/+15550100_+15550199_call-1.wav", Assert.Single(_node.Dropbox.Files).Path);
    }

    [Fact]
    public async Task EnqueueItem_ForAnUnknownCustomer_Is404()
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("nobody", "x", _node.ContentFile("x.wav")));

        Assert.Equal(404, status);
        Assert.Contains("nobody", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueItem_OutsideTheContentRoots_IsAValidationProblem()
    {
        await _node.AddCustomerAsync("acme");

        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("acme", "x", "/etc/passwd"));

        Assert.Equal(400, status);
        Assert.Contains("outside the content roots", problem.GetProperty("errors").GetProperty("source")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueItem_WithMalformedJson_Is400()
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", raw: "{\"customer\": acme}");

        Assert.Equal(400, status);
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task BulkEnqueue_StoresTheGoodLinesAndListsEachRefusedLineWithItsReason()
    {
        await _node.AddCustomerAsync("acme");
        var good = _node.ContentFile("good.wav");
        var lines = new StringBuilder()
            .AppendLine(Line("acme", "call-1", good))
            .AppendLine("{ this is not json")
            .AppendLine(Line("nobody", "call-2", good))
            .AppendLine()
            .AppendLine("""{"customer":"acme","externalId":"call-3","kind":"Sms","source":"/etc/passwd","occurredAt":"2026-11-24T10:00:00Z"}""")
            .AppendLine("""{"customer":"acme","kind":"Sms","source":"x"}""")
            .AppendLine(Line("acme", "call-4", good))
            .AppendLine(Line("acme", "call-1", good))
            .ToString();

        var (status, result) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk", raw: lines);

        Assert.Equal(200, status);
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(1, result.GetProperty("duplicates").GetInt32());
        var refused = result.GetProperty("refused").EnumerateArray()
            .Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString()!)).ToArray();
        Assert.Equal([2, 3, 5, 6], refused.Select(r => r.Item1));
        Assert.StartsWith("malformed JSON", refused[0].Item2, StringComparison.Ordinal);
        Assert.Contains("no customer 'nobody'", refused[1].Item2, StringComparison.Ordinal);
        Assert.Contains("outside the content roots", refused[2].Item2, StringComparison.Ordinal);
        Assert.Contains("externalId", refused[3].Item2, StringComparison.Ordinal);
        Assert.Contains("occurredAt", refused[3].Item2, StringComparison.Ordinal);
        var shown = await _node.GetJsonAsync("/api/v1/customers/acme");
        Assert.Equal(2, shown.GetProperty("progress").GetProperty("archived").GetInt64() + shown.GetProperty("progress").GetProperty("backlog").GetInt64());
    }

    [Fact]
    public async Task BulkEnqueue_WithACustomerInTheQuery_AppliesItToLinesWithoutOne()
    {
        await _node.AddCustomerAsync("acme");
        var good = _node.ContentFile("good.wav");
        var line = $$"""{"externalId":"sms-1","kind":"Sms","source":"{{good}}","occurredAt":"2026-11-24T10:00:00Z"}""";

        var (status, result) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk?customer=acme", raw: line);
        var (unknown, _) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk?customer=nobody", raw: line);

        Assert.Equal(200, status);
        Assert.Equal(1, result.GetProperty("created").GetInt32());
        Assert.Equal(404, unknown);
    }

    private static string Line(string customer, string id, string source) =>
        $$"""{"customer":"{{customer}}","externalId":"{{id}}","kind":"CallRecording","source":"{{source}}","occurredAt":"2026-11-24T10:00:00Z"}""";
}
