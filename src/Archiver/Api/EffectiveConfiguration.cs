using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Archiver.App.Hosting;

namespace Archiver.App.Api;

/// <summary>
/// The configuration a node runs with — every options class's bound values (defaults included), plus any other
/// <c>archiver.*</c> key — with secrets masked: tokens, keys, secrets and passwords, and the password inside a
/// connection string.
/// </summary>
internal static partial class EffectiveConfiguration
{
    public const string Masked = "***";

    public static SortedDictionary<string, string?> Of(IConfiguration configuration, IEnumerable<(string Section, object Options)> options)
    {
        var result = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (section, value) in options)
        {
            foreach (var property in value.GetType().GetProperties().Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
            {
                result[SettingsValidator<object>.KeyOf(section, property.Name)] = Format(property.GetValue(value));
            }
        }

        var known = result.Keys.Select(Comparable).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.GetSection("archiver").AsEnumerable())
        {
            var dotted = key.Replace(':', '.');
            if (value is not null && !known.Contains(Comparable(dotted)))
            {
                result[dotted] = value;
            }
        }

        foreach (var key in result.Keys.ToArray())
        {
            result[key] = Mask(key, result[key]);
        }

        return result;
    }

    /// <summary>The value as shown: masked when the key names a secret, a connection string's password hidden.</summary>
    public static string? Mask(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var name = key[(key.LastIndexOf('.') + 1)..].Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (name.EndsWith("token", StringComparison.Ordinal) || name.EndsWith("key", StringComparison.Ordinal)
            || name.EndsWith("secret", StringComparison.Ordinal) || name.Contains("password", StringComparison.Ordinal))
        {
            return Masked;
        }

        return ConnectionStringPassword().Replace(value, m => $"{m.Groups["name"].Value}={Masked}");
    }

    private static string Comparable(string key) => key.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString(),
    };

    [GeneratedRegex("(?<name>password|pwd)\\s*=\\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
