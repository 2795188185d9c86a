using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archiver.Core.Alerts;

/// <summary>
/// The JSON an alert is POSTed as: <c>{"id", "kind", "customer", "count", "at", "details", "node"}</c>, camelCase,
/// <c>customer</c> null for a node's alert.
/// </summary>
public sealed record AlertBody(string Id, string Kind, string? Customer, int Count, DateTimeOffset At, string Details, string Node)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static AlertBody Of(Alert alert, string node)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(alert.Id, alert.Kind, alert.Customer?.Value, alert.Count, alert.At, alert.Details, node);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
