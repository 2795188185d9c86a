using System.Text.Json;
using Archiver.Api;
using Archiver.Hosting;
using CsCheck;

namespace Archiver.Api.Tests;

/// <summary>
/// Properties of reading and checking one item line, in process and over many more inputs than the HTTP tests:
/// nothing makes it throw, and whatever is not an item is refused with a reason that names the field at fault.
/// </summary>
public sealed class ItemRequestReaderPropertyTests
{
    private const string Valid = """{"customer":"acme","externalId":"call-1","kind":"CallRecording","source":"/srv/content/call-1.wav","occurredAt":"2026-11-24T10:00:00Z","from":"+15550100","to":"+15550199","size":4096}""";

    private static readonly ItemValidation Validation = new(new ContentOptions { Roots = ["/srv/content"] });

    private static readonly string[] Fields = ["customer", "externalId", "kind", "source", "occurredAt", "from", "to", "size"];

    [Fact]
    public void TheValidLine_IsAnItem() => Assert.NotNull(Check(Valid).Item);

    [Fact]
    public void AnyLine_IsEitherAnItemOrRefusedWithAReason_NeverAnException()
    {
        var mutated = Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Char, Gen.Int[0, 2]).Select((at, c, how) => how switch
        {
            0 => Valid.Remove(at, 1),
            1 => Valid.Insert(at, c.ToString()),
            _ => Valid[..at] + c + Valid[(at + 1)..],
        });

        Gen.OneOf(BulkLinePropertyTests.ArbitraryText, BulkLinePropertyTests.JsonObjects, mutated).Sample(line =>
        {
            var (item, reason) = Check(line);
            Assert.True(item is not null ^ !string.IsNullOrWhiteSpace(reason), $"item {item}, reason '{reason}'");
        }, iter: 20_000);
    }

    [Fact]
    public void AFieldOfTheWrongType_IsRefusedUnderItsOwnName()
    {
        var wrong = Gen.Select(Gen.OneOf(Fields), Gen.OneOf("42", "true", "[]", "{}", "-1.5", "\"text\"", "\"\\ud800\""))
            .Where((field, value) => !(value == "\"text\"" && field is "customer" or "externalId" or "source" or "from" or "to") && !(value == "42" && field == "size"));

        wrong.Sample((field, value) =>
        {
            using var valid = JsonDocument.Parse(Valid);
            var fields = valid.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
            fields[field] = value;
            var line = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

            var (_, errors) = Validation.Validate(ItemRequestReader.Read(line));

            Assert.True(errors.ContainsKey(field), $"{line}: {string.Join("; ", errors.Keys)}");
            Assert.DoesNotContain(errors[field], m => m.Contains("is required", StringComparison.Ordinal));
        });
    }

    private static (object? Item, string? Reason) Check(string line)
    {
        var reading = ItemRequestReader.Read(line);
        if (reading.Problem is not null)
        {
            return (null, reading.Problem);
        }

        var (item, errors) = Validation.Validate(reading);
        return (item, string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
    }
}
