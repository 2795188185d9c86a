using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Archiver.Api.Tests;

/// <summary>
/// Properties of <c>POST /api/v1/items/bulk</c> over generated lines: arbitrary text, JSON objects whose fields have
/// random types, and valid lines mutated so that they no longer are. Every bad line is refused with a reason under its
/// own number, and every good line beside them is stored.
/// </summary>
public sealed class BulkLinePropertyTests : IAsyncLifetime
{
    private static readonly string[] Fields = ["customer", "externalId", "kind", "source", "occurredAt", "from", "to", "size"];

    private ApiNode _node = null!;
    private string _content = null!;
    private int _run;

    public async Task InitializeAsync()
    {
        _node = await ApiNode.StartAsync();
        await _node.AddCustomerAsync("acme");
        Assert.Equal(200, (await _node.SendAsync(HttpMethod.Post, "/api/v1/customers/acme/pause")).Status); // store, spend no time archiving
        _content = _node.ContentFile("item.wav", 16);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ArbitraryLines_AreEachRefusedWithAReason_NeverFailingTheRequest()
    {
        var lines = Gen.OneOf(ArbitraryText, JsonObjects).Array[1, 12];

        await lines.SampleAsync(async batch =>
        {
            var (status, result) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk", raw: string.Join("\n", batch));

            Assert.True(status == 200, $"{status} {result}");
            var refused = Refused(result);
            Assert.All(refused.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
            Assert.Equal(batch.Length, result.GetProperty("lines").GetInt32());
            Assert.Equal(batch.Length, refused.Count + result.GetProperty("created").GetInt32() + result.GetProperty("duplicates").GetInt32());
        }, iter: 150, threads: 1);
    }

    [Fact]
    public async Task ABatchMixingGoodAndBadLines_StoresExactlyTheGoodOnes()
    {
        // A line is either good (stored) or one of the bad kinds; the good ones get ids unique to the sample.
        var line = Gen.Frequency(
            (3, GoodItem.Select(item => (Good: true, Item: item, Bad: ""))),
            (1, ArbitraryText.Select(text => (Good: false, Item: null as Dictionary<string, string>, Bad: text))),
            (1, JsonObjects.Select(json => (Good: false, Item: null as Dictionary<string, string>, Bad: json))),
            (2, MutatedItem.Select(json => (Good: false, Item: null as Dictionary<string, string>, Bad: json))));

        await line.Array[1, 20].SampleAsync(async batch =>
        {
            var run = Interlocked.Increment(ref _run);
            var text = batch.Select((l, i) => l.Good ? Json(WithId(l.Item!, $"r{run}-{i}")) : l.Bad).ToArray();
            var before = await StoredAsync();

            var (status, result) = await _node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk", raw: string.Join("\n", text));

            Assert.True(status == 200, $"{status} {result}");
            var good = batch.Select((l, i) => (l.Good, Number: i + 1)).Where(l => l.Good).Select(l => l.Number).ToArray();
            var refused = Refused(result);
            Assert.Equal(Enumerable.Range(1, batch.Length).Except(good), refused.Keys.Order());
            Assert.Equal(good.Length, result.GetProperty("created").GetInt32());
            Assert.Equal(before + good.Length, await StoredAsync());
        }, iter: 100, threads: 1);
    }

    /// <summary>Text that is no item: any characters but line breaks, and a few that once tripped parsers.</summary>
    internal static Gen<string> ArbitraryText { get; } = Gen.OneOf(
        Gen.String[0, 80].Select(s => s.Replace('\n', ' ').Replace('\r', ' ')).Select(s => string.IsNullOrWhiteSpace(s) ? s + "x" : s),
        Gen.OneOf(Gen.Const("{"), Gen.Const("}"), Gen.Const("null"), Gen.Const("[]"), Gen.Const("0"), Gen.Const("\"\""), Gen.Const("{}"),
            Gen.Const("{\"kind\":1e400}"), Gen.Const("{\"size\":99999999999999999999}"), Gen.Const(new string('[', 100) + new string(']', 100)),
            Gen.Const("{\"source\":\"/a\\u0000b\"}"), Gen.Const("{\"occurredAt\":\"\\ud800\"}")));

    /// <summary>JSON objects with item fields (any casing), and others, of random types and values.</summary>
    internal static Gen<string> JsonObjects { get; } =
        Gen.Select(
            Gen.OneOf(Gen.OneOf(Fields), Gen.OneOf(Fields).Select(f => f.ToUpperInvariant()), Gen.String[0, 8]),
            JsonValue(2))
        .Array[0, 10]
        .Select(fields => "{" + string.Join(",", fields.Select(f => $"{JsonSerializer.Serialize(f.Item1)}:{f.Item2}")) + "}");

    /// <summary>A valid item for customer acme (its external id is set per sample).</summary>
    private Gen<Dictionary<string, string>> GoodItem => Gen.Select(
        Gen.OneOf("CallRecording", "Sms", "Fax", "Voicemail", "sms", "FAX"),
        Gen.OneOf<string?>(null, "+15550100", "sip:alice@example.com", new string('1', 256)),
        Gen.OneOf<string?>(null, "+15550199"),
        Gen.Long[0, long.MaxValue].Nullable(0.3),
        Gen.DateTimeOffset,
        (kind, from, to, size, at) =>
        {
            var item = new Dictionary<string, string>
            {
                ["customer"] = "\"acme\"",
                ["kind"] = JsonSerializer.Serialize(kind),
                ["source"] = JsonSerializer.Serialize(_content),
                ["occurredAt"] = JsonSerializer.Serialize(at),
            };
            if (from is not null)
            {
                item["from"] = JsonSerializer.Serialize(from);
            }

            if (to is not null)
            {
                item["to"] = JsonSerializer.Serialize(to);
            }

            if (size is not null)
            {
                item["size"] = size.Value.ToString(CultureInfo.InvariantCulture);
            }

            return item;
        });

    /// <summary>A valid item broken in one of the ways a real file breaks: a field gone, of the wrong type or too long, cut short.</summary>
    private Gen<string> MutatedItem => Gen.Select(GoodItem, Gen.Int[0, 5], Gen.OneOf("customer", "externalId", "kind", "source", "occurredAt"), JsonValue(1), Gen.Int[1, 1000],
        (item, mutation, target, value, at) =>
        {
            item = WithId(item, "mutant");
            switch (mutation)
            {
                case 0:
                    item.Remove(target);
                    break;
                case 1:
                    item[target] = value.StartsWith('"') ? "[" + value + "]" : value == "null" ? "false" : value; // never a string
                    break;
                case 2:
                    item["kind"] = JsonSerializer.Serialize("Call" + value.Length);
                    break;
                case 3:
                    item[target is "kind" or "occurredAt" ? "from" : target] = JsonSerializer.Serialize(new string('9', 5_000));
                    break;
                case 4:
                    item["size"] = "-" + at;
                    break;
                default:
                    var json = Json(item);
                    return json[..(at % (json.Length - 1) + 1)];
            }

            return Json(item);
        });

    private static Gen<string> JsonValue(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Const("null"),
            Gen.Bool.Select(b => b ? "true" : "false"),
            Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
            Gen.String[0, 30].Select(s => JsonSerializer.Serialize(s)),
            Gen.OneOf("CallRecording", "Sms", "/etc/passwd", "2026-11-24T10:00:00Z", "acme", "").Select(s => JsonSerializer.Serialize(s)));
        if (depth == 0)
        {
            return scalar;
        }

        var inner = JsonValue(depth - 1);
        return Gen.Frequency(
            (4, scalar),
            (1, inner.Array[0, 3].Select(a => "[" + string.Join(",", a) + "]")),
            (1, Gen.Select(Gen.String[0, 6], inner).Array[0, 3].Select(o => "{" + string.Join(",", o.Select(p => $"{JsonSerializer.Serialize(p.Item1)}:{p.Item2}")) + "}")));
    }

    private static Dictionary<string, string> WithId(Dictionary<string, string> item, string id) =>
        new(item) { ["externalId"] = JsonSerializer.Serialize(id) };

    private static string Json(Dictionary<string, string> item) =>
        new StringBuilder("{").AppendJoin(",", item.Select(f => $"\"{f.Key}\":{f.Value}")).Append('}').ToString();

    private static Dictionary<int, string> Refused(JsonElement result) =>
        result.GetProperty("refused").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(), r => r.GetProperty("reason").GetString() ?? "");

    /// <summary>Every item acme has, whatever became of it since.</summary>
    private async Task<long> StoredAsync()
    {
        var progress = (await _node.GetJsonAsync("/api/v1/customers/acme")).GetProperty("progress");
        return progress.GetProperty("backlog").GetInt64() + progress.GetProperty("archived").GetInt64() + progress.GetProperty("failed").GetInt64();
    }
}
