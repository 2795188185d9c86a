using System.Text.Json;
using System.Text.Json.Serialization;
using Archiver.Dropbox.Emulator.Files;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>
/// Reads the <c>WriteMode</c> union in every form Stone allows: <c>"add"</c>, <c>{".tag":"add"}</c>,
/// <c>{".tag":"update","update":"&lt;rev&gt;"}</c>, with <c>.tag</c> anywhere in the object.
/// </summary>
internal sealed class WriteModeConverter : JsonConverter<WriteMode>
{
    public override WriteMode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return FromTag(reader.GetString(), rev: null);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("mode: expected a union tag");
        }

        string? tag = null;
        string? rev = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case ".tag":
                    tag = reader.GetString();
                    break;
                case "update":
                    rev = reader.GetString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return FromTag(tag, rev);
    }

    public override void Write(Utf8JsonWriter writer, WriteMode value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The emulator only reads write modes.");

    private static WriteMode FromTag(string? tag, string? rev) => tag switch
    {
        "add" => WriteMode.Add,
        "overwrite" => WriteMode.Overwrite,
        "update" when !string.IsNullOrEmpty(rev) => new WriteMode(WriteModeKind.Update, rev),
        _ => throw new JsonException($"mode: unknown or incomplete tag '{tag}'"),
    };
}
