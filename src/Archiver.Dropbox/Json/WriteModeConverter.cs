using System.Text.Json;
using System.Text.Json.Serialization;
using Archiver.Dropbox.Models;

namespace Archiver.Dropbox.Json;

/// <summary>
/// Writes <see cref="WriteMode"/> as a Stone union: the compact string for <c>add</c>/<c>overwrite</c>,
/// <c>{".tag":"update","update":rev}</c> for an update. The client never reads one back.
/// </summary>
internal sealed class WriteModeConverter : JsonConverter<WriteMode>
{
    public override WriteMode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The Dropbox client only sends write modes.");

    public override void Write(Utf8JsonWriter writer, WriteMode value, JsonSerializerOptions options)
    {
        if (value.Rev is null)
        {
            writer.WriteStringValue(value.Tag);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(".tag", value.Tag);
        writer.WriteString(value.Tag, value.Rev);
        writer.WriteEndObject();
    }
}
