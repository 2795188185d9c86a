using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Archiver.Configuration.Hocon;
using Archiver.Core.Cluster;
using Archiver.Core.Control;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Core.Supervision;

namespace Archiver.Hosting;

/// <summary>
/// Every setting under <c>archiver</c>, read off the options classes the service binds (one source of truth: a new
/// property is a new setting). It knows which key segments are property names — written kebab-case, stored without
/// dashes so they bind — and which are names chosen by the operator (customer ids), and refuses keys no options class
/// has and values its property cannot take, naming the nearest known key.
/// </summary>
internal sealed class SettingsSchema
{
    private const string RootName = "archiver";

    private readonly Setting _root = Setting.Group(RootName);
    private readonly List<string> _leaves = [];

    static SettingsSchema() => HoconValues.RegisterTimeSpanConverter(); // durations convert as the binder converts them

    private SettingsSchema(IEnumerable<(string Section, Type Options)> sections, IEnumerable<(string Section, Type Options)> perName)
    {
        foreach (var (section, type) in sections)
        {
            AddProperties(GroupAt(section), type);
        }

        foreach (var (section, type) in perName)
        {
            var (parent, name) = ParentOf(section);
            var map = parent.Children.TryGetValue(Normalized(name), out var existing) ? existing : parent.Add(Setting.Map(name, Setting.Group("<id>")));
            AddProperties(map.Element!, type);
        }

        CollectLeaves(_root, RootName);
    }

    /// <summary>The settings of a node and its commands: every options class bound under <c>archiver</c>.</summary>
    public static SettingsSchema Archiver { get; } = new(
        [
            (PipelineOptions.Section, typeof(PipelineOptions)),
            (SupervisorOptions.Section, typeof(SupervisorOptions)),
            (NodeOptions.Section, typeof(NodeOptions)),
            (ClusterOptions.Section, typeof(ClusterOptions)),
            (StorageOptions.Section, typeof(StorageOptions)),
            (PersistenceOptions.Section, typeof(PersistenceOptions)),
            (SecurityOptions.Section, typeof(SecurityOptions)),
            (DropboxOptions.Section, typeof(DropboxOptions)),
            (DropboxAppOptions.Section, typeof(DropboxAppOptions)),
            (ContentOptions.Section, typeof(ContentOptions)),
            (RetentionOptions.Section, typeof(RetentionOptions)),
            (ApiOptions.Section, typeof(ApiOptions)),
            (TelemetryOptions.Section, typeof(TelemetryOptions)),
            (AlertOptions.Section, typeof(AlertOptions)),
        ],
        [(CustomerOverride.Section, typeof(CustomerOverride))]);

    /// <summary>
    /// <c>archiver:content:allowed-hosts:0</c> → <c>archiver:content:allowedhosts:0</c>: every segment that names a
    /// property loses its dashes; customer ids and list indexes stay as written.
    /// </summary>
    public string Normalize(string key)
    {
        var segments = key.Split(':');
        var at = string.Equals(segments[0], RootName, StringComparison.OrdinalIgnoreCase) ? _root : null;
        for (var i = at is null ? 0 : 1; i < segments.Length; i++)
        {
            if (at is { Kind: SettingKind.Map or SettingKind.List })
            {
                at = at.Element;
                continue;
            }

            segments[i] = Normalized(segments[i]);
            at = at?.Children.GetValueOrDefault(segments[i]);
        }

        return string.Join(':', segments);
    }

    /// <summary>
    /// What is wrong with a stored key (as <see cref="Normalize"/> made it) and its value, or null when the setting
    /// exists and the value fits it. <paramref name="written"/> is the key as the operator wrote it, <paramref name="origin"/>
    /// where (<c>file:line</c>, <c>--set</c>). Keys outside <c>archiver</c> are not the service's and pass.
    /// </summary>
    public string? Problem(string key, string written, string? value, string origin)
    {
        var segments = key.Split(':');
        if (!string.Equals(segments[0], RootName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var shown = written.Replace(':', '.');
        var at = _root;
        for (var i = 1; i < segments.Length; i++)
        {
            if (at.Kind == SettingKind.Leaf)
            {
                var leaf = string.Join('.', written.Split(':').Take(i));
                return $"{shown} ({origin}): {leaf} is a single setting, not a group of settings.";
            }

            if (at.Kind is SettingKind.Map or SettingKind.List)
            {
                if (at.Kind == SettingKind.List && !int.TryParse(segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return $"{shown} ({origin}): {at.Name} is a list; its elements are numbered from 0.";
                }

                at = at.Element!;
                continue;
            }

            if (!at.Children.TryGetValue(segments[i], out var child))
            {
                return $"{shown} ({origin}): no such setting{Suggestion(shown)}";
            }

            at = child;
        }

        return at.Kind switch
        {
            SettingKind.Leaf => value is null ? null : ShapeProblem(at.Type!, value) is { } expected ? $"{shown} = \"{value}\" ({origin}): expected {expected}." : null,
            _ when value is null => null, // an empty object or list: nothing set
            SettingKind.List => $"{shown} = \"{value}\" ({origin}): expected a list, e.g. [a, b].",
            _ => $"{shown} = \"{value}\" ({origin}): {shown} is a group of settings, not a value.",
        };
    }

    /// <summary>What a value of <paramref name="type"/> must look like when <paramref name="value"/> is not one, else null.</summary>
    private static string? ShapeProblem(Type type, string value)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || (value.Length == 0 && !type.IsValueType))
        {
            return null;
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out _) ? null : "an absolute URI, e.g. https://host:port/";
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return type.IsEnum && !Enum.IsDefined(type, Enum.Parse(type, value, ignoreCase: true)) ? Expected(type, null) : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            return Expected(type, ex);
        }
    }

    private static string Expected(Type type, Exception? failure) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => $"a duration such as 500ms, 5s, 2m or 00:00:05 ({failure?.Message})",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
        _ when type.IsPrimitive => string.Create(CultureInfo.InvariantCulture,
            $"a whole number between {type.GetField("MinValue")!.GetValue(null)} and {type.GetField("MaxValue")!.GetValue(null)}"),
        _ => $"a {type.Name}",
    };

    private string Suggestion(string shown)
    {
        var written = shown.ToLowerInvariant();
        var (best, distance) = _leaves
            .Select(leaf => WithNamesOf(leaf, written))
            .Select(leaf => (Leaf: leaf, Distance: Levenshtein(written, leaf)))
            .MinBy(candidate => candidate.Distance);
        return best is not null && distance <= Math.Max(3, best.Length / 4) ? $"; did you mean {best}?" : ".";
    }

    /// <summary>A known key with its <c>&lt;id&gt;</c> and <c>0</c> placeholders replaced by what the operator wrote there.</summary>
    private static string WithNamesOf(string leaf, string written)
    {
        var leafParts = leaf.Split('.');
        var writtenParts = written.Split('.');
        for (var i = 0; i < leafParts.Length && i < writtenParts.Length; i++)
        {
            if (leafParts[i] is "<id>" or "0")
            {
                leafParts[i] = writtenParts[i];
            }
        }

        return string.Join('.', leafParts);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private void CollectLeaves(Setting setting, string path)
    {
        switch (setting.Kind)
        {
            case SettingKind.Leaf:
                _leaves.Add(path);
                break;
            case SettingKind.Map:
                CollectLeaves(setting.Element!, path + ".<id>");
                break;
            case SettingKind.List:
                _leaves.Add(path);
                CollectLeaves(setting.Element!, path + ".0");
                break;
            default:
                foreach (var child in setting.Children.Values)
                {
                    CollectLeaves(child, path + "." + child.Name);
                }

                break;
        }
    }

    private Setting GroupAt(string section)
    {
        var at = _root;
        foreach (var segment in section.Split(':').Skip(1))
        {
            at = at.Children.TryGetValue(Normalized(segment), out var child) ? child : at.Add(Setting.Group(segment));
        }

        return at;
    }

    private (Setting Parent, string Name) ParentOf(string section)
    {
        var last = section.LastIndexOf(':');
        return (GroupAt(section[..last]), section[(last + 1)..]);
    }

    private static void AddProperties(Setting group, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.GetSetMethod() is not null && p.GetIndexParameters().Length == 0))
        {
            if (!group.Children.ContainsKey(Normalized(property.Name)))
            {
                group.Add(SettingOf(Kebab(property.Name), property.PropertyType));
            }
        }
    }

    private static Setting SettingOf(string name, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal)
            || underlying == typeof(TimeSpan) || underlying == typeof(Uri) || underlying == typeof(DateTimeOffset))
        {
            return Setting.Leaf(name, type);
        }

        if (underlying.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
        {
            return Setting.Map(name, SettingOf("<id>", dictionary.GetGenericArguments()[1]));
        }

        if (typeof(IEnumerable).IsAssignableFrom(underlying))
        {
            var element = underlying.IsArray ? underlying.GetElementType()! : underlying.GetGenericArguments().Single();
            return Setting.List(name, SettingOf("0", element));
        }

        var group = Setting.Group(name);
        AddProperties(group, underlying);
        return group;
    }

    /// <summary><c>RatePerSecond</c> → <c>rate-per-second</c>.</summary>
    private static string Kebab(string member) => SettingsValidator<object>.KeyOf(string.Empty, member).TrimStart('.');

    /// <summary>A property name as stored: no dashes, any case.</summary>
    private static string Normalized(string segment) => segment.Replace("-", string.Empty, StringComparison.Ordinal);

    private enum SettingKind
    {
        Group,
        Leaf,
        List,
        Map,
    }

    /// <summary>One node of the settings tree: a group of named settings, a value, a list or a map keyed by the operator's names.</summary>
    private sealed class Setting
    {
        private Setting(string name, SettingKind kind, Type? type, Setting? element)
        {
            Name = name;
            Kind = kind;
            Type = type;
            Element = element;
        }

        public string Name { get; }

        public SettingKind Kind { get; }

        /// <summary>The property type of a value.</summary>
        public Type? Type { get; }

        /// <summary>What each element of a list, or each named entry of a map, is.</summary>
        public Setting? Element { get; }

        /// <summary>A group's settings, by name as stored (no dashes, any case).</summary>
        public Dictionary<string, Setting> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static Setting Group(string name) => new(name, SettingKind.Group, null, null);

        public static Setting Leaf(string name, Type type) => new(name, SettingKind.Leaf, type, null);

        public static Setting List(string name, Setting element) => new(name, SettingKind.List, null, element);

        public static Setting Map(string name, Setting element) => new(name, SettingKind.Map, null, element);

        public Setting Add(Setting child)
        {
            Children[Normalized(child.Name)] = child;
            return child;
        }
    }
}
