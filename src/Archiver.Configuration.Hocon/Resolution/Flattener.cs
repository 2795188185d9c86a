using Archiver.Configuration.Hocon.Syntax;
using Archiver.Configuration.Hocon.Values;
using Microsoft.Extensions.Configuration;

namespace Archiver.Configuration.Hocon.Resolution;

/// <summary>
/// Turns a resolved tree into configuration keys: objects nest with ':' (<c>a:b:c</c>), array elements are
/// numbered (<c>a:0</c>, <c>a:1</c>), null becomes a null value (reads as absent), and an empty object or
/// array becomes a null value at its own key, as the JSON provider does. Each key can be traced to where its value
/// was written.
/// </summary>
internal static class Flattener
{
    public static Dictionary<string, string?> Flatten(HoconObject root) => Flatten(root, positions: null);

    /// <summary>Flattens <paramref name="root"/>, recording in <paramref name="positions"/> where each key's value starts.</summary>
    public static Dictionary<string, string?> Flatten(HoconObject root, Dictionary<string, SourcePosition>? positions)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in root.Fields)
        {
            Visit(value, key, data, positions);
        }

        return data;
    }

    private static void Visit(HoconValue value, string prefix, Dictionary<string, string?> data, Dictionary<string, SourcePosition>? positions)
    {
        if (positions is not null && value is HoconObject { Count: 0 } or HoconArray { Items.Count: 0 } or HoconScalar)
        {
            positions[prefix] = value.Position;
        }

        switch (value)
        {
            case HoconObject obj:
                if (obj.Count == 0)
                {
                    data[prefix] = null;
                }

                foreach (var (key, child) in obj.Fields)
                {
                    Visit(child, ConfigurationPath.Combine(prefix, key), data, positions);
                }

                break;
            case HoconArray array:
                if (array.Items.Count == 0)
                {
                    data[prefix] = null;
                }

                for (var i = 0; i < array.Items.Count; i++)
                {
                    Visit(array.Items[i], ConfigurationPath.Combine(prefix, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data, positions);
                }

                break;
            case HoconScalar { Kind: ScalarKind.Null }:
                data[prefix] = null;
                break;
            case HoconScalar scalar:
                data[prefix] = scalar.Text;
                break;
            default:
                throw new InvalidOperationException($"unresolved {value.TypeName} at '{prefix}'");
        }
    }
}
