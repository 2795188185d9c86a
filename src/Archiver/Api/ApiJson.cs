using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archiver.Api;

/// <summary>How the admin API and its CLI client write and read JSON: camelCase, enums by name.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.AllowTrailingCommas = false;
        return options;
    }
}
