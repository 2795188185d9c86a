using System.Text;
using System.Text.Json;

namespace Archiver.Api.Tests;

/// <summary>A refused item says which field is wrong, what was given and what is allowed: one item, or a bulk line.</summary>
public sealed class ItemFieldErrorTests : IAsyncLifetime
{
    private ApiNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await ApiNode.StartAsync();
        await _node.AddCustomerAsync("acme");
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task EnqueueItem_WithAnUnknownKind_NamesTheFieldTheValueAndTheAllowedKinds()
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", raw: ItemJson(kind: "\"Call\""));

        Assert.Equal(400, status);
        Assert.Equal("\"Call\" is not one of CallRecording, Sms, Fax, Voicemail.", FieldError(problem, "kind"));
    }

    [Theory]
    [InlineData("size", "\"big\"", "expected a number, got a string.")]
    [InlineData("size", "1.5", "expected a whole number of bytes, got 1.5.")]
    [InlineData("externalId", "42", "expected a string, got a number.")]
    [InlineData("from", "{}", "expected a string, got an object.")]
    [InlineData("kind", "[]", "expected one of CallRecording, Sms, Fax, Voicemail, got an array.")]
    [InlineData("occurredAt", "\"yesterday\"", "\"yesterday\" is not an ISO 8601 time, e.g. 2026-11-24T10:00:00Z.")]
    [InlineData("occurredAt", "true", "expected an ISO 8601 time, e.g. 2026-11-24T10:00:00Z, got true.")]
    public async Task EnqueueItem_WithAWrongJsonType_NamesTheFieldAndWhatWasGiven(string field, string value, string expected)
    {
        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", raw: ItemJson(field, value));

        Assert.Equal(400, status);
        Assert.Equal(expected, FieldError(problem, field));
    }

    [Theory]
    [InlineData("customer", 65, "is longer than 64 characters")]
    [InlineData("externalId", 256, "is longer than 255 characters")]
    [InlineData("from", 10_000_000, "is longer than 256 characters")]
    [InlineData("to", 257, "is longer than 256 characters")]
    [InlineData("source", 4_097, "is longer than 4096 characters")]
    public async Task EnqueueItem_WithAFieldOverItsCap_IsRefusedNamingTheFieldAndTheLimit(string field, int length, string expected)
    {
        var value = field == "source" ? "/" + new string('s', length - 1) : new string('a', length);

        var (status, problem) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items", raw: ItemJson(field, JsonSerializer.Serialize(value)));

        Assert.Equal(400, status);
        var error = FieldError(problem, field);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, $"the error does not echo the whole value: {error.Length} characters");
        var shown = await _node.GetJsonAsync("/api/v1/customers/acme");
        Assert.Equal(0, shown.GetProperty("progress").GetProperty("backlog").GetInt64());
    }

    [Fact]
    public async Task BulkEnqueue_RefusedLines_NameTheFieldWhatWasGivenAndWhatIsAllowed()
    {
        var lines = new StringBuilder()
            .AppendLine(ItemJson(kind: "\"Call\"", externalId: "a"))
            .AppendLine(ItemJson("size", "\"big\"", externalId: "b"))
            .AppendLine(ItemJson(externalId: "c"))
            .AppendLine("[1, 2]")
            .AppendLine("\"just a string\"")
            .ToString();

        var (status, result) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk", raw: lines);

        Assert.Equal(200, status);
        Assert.Equal(1, result.GetProperty("created").GetInt32());
        var reasons = result.GetProperty("refused").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(), r => r.GetProperty("reason").GetString()!);
        Assert.Equal([1, 2, 4, 5], reasons.Keys.Order());
        Assert.Equal("kind: \"Call\" is not one of CallRecording, Sms, Fax, Voicemail.", reasons[1]);
        Assert.Equal("size: expected a number, got a string.", reasons[2]);
        Assert.Equal("expected a JSON object, got an array.", reasons[4]);
        Assert.Equal("expected a JSON object, got a string.", reasons[5]);
    }

    private string ItemJson(string? field = null, string? value = null, string kind = "\"Sms\"", string externalId = "sms-1")
    {
        var fields = new Dictionary<string, string>
        {
            ["customer"] = "\"acme\"",
            ["externalId"] = JsonSerializer.Serialize(externalId),
            ["kind"] = kind,
            ["source"] = JsonSerializer.Serialize(_node.ContentFile("sms.txt", 16)),
            ["occurredAt"] = "\"2026-11-24T10:00:00Z\"",
            ["from"] = "\"+15550100\"",
            ["to"] = "\"+15550199\"",
        };
        if (field is not null)
        {
            fields[field] = value!;
        }

        return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
    }

    private static string FieldError(JsonElement problem, string field)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), problem.ToString());
        Assert.True(errors.TryGetProperty(field, out var messages), problem.ToString());
        return messages[0].GetString()!;
    }
}
