using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Core.Supervision;
using Archiver.Hosting;
using Microsoft.Extensions.Options;

namespace Archiver.Api;

/// <summary>
/// The configuration a node runs with — the pipeline settings in force (defaults and each customer's block), every
/// other options class's bound values (defaults included), plus any other <c>archiver.*</c> key, and the actor
/// system's <c>akka</c> settings as handed to it — with secrets
/// masked: tokens, keys, secrets and passwords, the password inside a connection string, and the user name and
/// password inside a URI.
/// </summary>
internal static partial class EffectiveConfiguration
{
    public const string Masked = "***";

    /// <summary>The effective configuration of a node built on <paramref name="services"/>, with <paramref name="pipeline"/> in force.</summary>
    public static SortedDictionary<string, string?> Of(IServiceProvider services, IConfiguration configuration, PipelineConfiguration pipeline) =>
        Of(configuration, pipeline,
        [
            (SupervisorOptions.Section, services.GetRequiredService<IOptions<SupervisorOptions>>().Value),
            (NodeOptions.Section, services.GetRequiredService<IOptions<NodeOptions>>().Value),
            (StorageOptions.Section, services.GetRequiredService<IOptions<StorageOptions>>().Value),
            (SecurityOptions.Section, services.GetRequiredService<IOptions<SecurityOptions>>().Value),
            (DropboxOptions.Section, services.GetRequiredService<IOptions<DropboxOptions>>().Value),
            (DropboxAppOptions.Section, services.GetRequiredService<IOptions<DropboxAppOptions>>().Value),
            (ContentOptions.Section, services.GetRequiredService<IOptions<ContentOptions>>().Value),
            (ApiOptions.Section, services.GetRequiredService<IOptions<ApiOptions>>().Value),
            (TelemetryOptions.Section, services.GetRequiredService<IOptions<TelemetryOptions>>().Value),
        ]);

    public static SortedDictionary<string, string?> Of(
        IConfiguration configuration, PipelineConfiguration pipeline, IEnumerable<(string Section, object Options)> options)
    {
        var result = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (section, value) in options.Prepend((PipelineOptions.Section, pipeline.Defaults)))
        {
            Add(result, section, value, withUnset: true);
        }

        foreach (var (customer, block) in pipeline.Customers)
        {
            Add(result, $"{CustomerOverride.Section}:{customer}", block, withUnset: false);
        }

        // Pipeline settings are shown as in force, not as the configuration now says: an edit may have been refused.
        var inForce = new[] { PipelineOptions.Section, CustomerOverride.Section }.Select(section => Comparable(section.Replace(':', '.')) + ".").ToArray();
        var known = result.Keys.Select(Comparable).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.GetSection("archiver").AsEnumerable())
        {
            var dotted = Comparable(key.Replace(':', '.'));
            if (value is not null && !known.Any(k => dotted == k || dotted.StartsWith(k + ".", StringComparison.Ordinal))
                && !inForce.Any(section => dotted.StartsWith(section, StringComparison.Ordinal)))
            {
                result[key.Replace(':', '.')] = value;
            }
        }

        foreach (var (key, value) in ActorSystemHosting.Effective(configuration).AsEnumerable().Where(entry => entry.Value is not null))
        {
            result[key.Replace(':', '.')] = value; // as handed to the actor system
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

        return UriCredentials.Mask(ConnectionStringPassword().Replace(value, m => $"{m.Groups["name"].Value}={Masked}"));
    }

    private static void Add(SortedDictionary<string, string?> result, string section, object options, bool withUnset)
    {
        foreach (var property in options.GetType().GetProperties().Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var raw = property.GetValue(options);
            if (raw is not null && IsGroup(property.PropertyType))
            {
                Add(result, SettingsValidator<object>.KeyOf(section, property.Name).Replace('.', ':'), raw, withUnset); // e.g. archiver.storage.postgres.connection-string
                continue;
            }

            var value = Format(raw);
            if (withUnset || value is not null)
            {
                result[SettingsValidator<object>.KeyOf(section, property.Name)] = value;
            }
        }
    }

    /// <summary>An options class nested in another (its own group of settings), not a value or a list.</summary>
    private static bool IsGroup(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type);

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
