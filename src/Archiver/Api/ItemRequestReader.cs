using System.Text.Encodings.Web;
using System.Text.Json;
using Archiver.Core.Items;

namespace Archiver.Api;

/// <summary>
/// Reads an <see cref="ItemRequest"/> out of JSON one field at a time, so that a wrong type or value is refused
/// naming its field, what was given and what is allowed (<c>kind: "Call" is not one of CallRecording, Sms, Fax,
/// Voicemail</c>), and never fails the whole request. Field names match in any casing; unknown fields are ignored.
/// </summary>
internal static class ItemRequestReader
{
    private const int ShownCharacters = 40;

    private static readonly string[] Kinds = Enum.GetNames<ItemKind>();

    private static readonly JsonSerializerOptions Shown = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One line of a bulk body, or a whole single-item body.</summary>
    public static ItemRequestReading Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            return ItemRequestReading.Refused($"malformed JSON: {ex.Message}");
        }
    }

    public static ItemRequestReading Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ItemRequestReading.Refused($"expected a JSON object, got {Describe(root)}.");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            fields[property.Name] = property.Value; // a repeated field: the last one counts, as with the serializer
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var request = new ItemRequest(
            Text(fields, "customer", errors),
            Text(fields, "externalId", errors),
            Kind(fields, errors),
            Text(fields, "source", errors),
            Time(fields, errors),
            Text(fields, "from", errors),
            Text(fields, "to", errors),
            Size(fields, errors));
        return new ItemRequestReading(request, errors, null);
    }

    private static string? Text(Dictionary<string, JsonElement> fields, string name, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = [$"expected a string, got {Describe(value)}."];
            return null;
        }

        return StringOf(value, name, errors);
    }

    private static ItemKind? Kind(Dictionary<string, JsonElement> fields, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetValue("kind", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors["kind"] = [$"expected one of {string.Join(", ", Kinds)}, got {Describe(value)}."];
            return null;
        }

        var text = StringOf(value, "kind", errors);
        var name = Kinds.FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            if (text is not null)
            {
                errors["kind"] = [$"{Quoted(text)} is not one of {string.Join(", ", Kinds)}."];
            }

            return null;
        }

        return Enum.Parse<ItemKind>(name);
    }

    private static DateTimeOffset? Time(Dictionary<string, JsonElement> fields, Dictionary<string, string[]> errors)
    {
        const string Example = "ISO 8601 time, e.g. 2026-11-24T10:00:00Z";
        if (!fields.TryGetValue("occurredAt", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors["occurredAt"] = [$"expected an {Example}, got {Describe(value)}."];
            return null;
        }

        var text = StringOf(value, "occurredAt", errors);
        if (text is null)
        {
            return null;
        }

        if (!value.TryGetDateTimeOffset(out var time))
        {
            errors["occurredAt"] = [$"{Quoted(text)} is not an {Example}."];
            return null;
        }

        return time;
    }

    private static long? Size(Dictionary<string, JsonElement> fields, Dictionary<string, string[]> errors)
    {
        if (!fields.TryGetValue("size", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            errors["size"] = [$"expected a number, got {Describe(value)}."];
            return null;
        }

        if (!value.TryGetInt64(out var size))
        {
            errors["size"] = [$"expected a whole number of bytes, got {Cut(value.GetRawText())}."];
            return null;
        }

        return size;
    }

    /// <summary>A JSON string's value; one whose escapes make no valid text (a lone surrogate) is refused.</summary>
    private static string? StringOf(JsonElement value, string name, Dictionary<string, string[]> errors)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            errors[name] = ["is not valid text: it holds an unpaired UTF-16 surrogate escape."];
            return null;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    /// <summary>What was given, as JSON, cut short: an answer never echoes a 10 MB value back.</summary>
    public static string Quoted(string text) => JsonSerializer.Serialize(Cut(text), Shown);

    private static string Cut(string text)
    {
        if (text.Length <= ShownCharacters)
        {
            return text;
        }

        var keep = char.IsHighSurrogate(text[ShownCharacters - 1]) ? ShownCharacters - 1 : ShownCharacters; // never half a pair
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
