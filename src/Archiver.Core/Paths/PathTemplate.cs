using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Archiver.Core.Items;

namespace Archiver.Core.Paths;

/// <summary>
/// Turns an item into its Dropbox path, e.g. <c>/Archiver/{kind}/{yyyy}/{MM}/{dd}/{from}_{to}_{id}.{ext}</c>.
/// <para>Placeholders: <c>{customer}</c>, <c>{kind}</c> (calls, sms, faxes, voicemails), <c>{yyyy}</c> <c>{MM}</c> <c>{dd}</c>
/// <c>{HH}</c> <c>{mm}</c> <c>{ss}</c> (when it happened, UTC), <c>{from}</c>, <c>{to}</c>, <c>{id}</c> (the external id),
/// <c>{ext}</c> (wav, txt, pdf, wav by kind). <c>{id}</c> is required so that every item gets its own path.</para>
/// <para>Every substituted value is made safe for Dropbox (see <see cref="PathText.Sanitize"/>) and the id is rendered
/// so that distinct ids never collide, not even ignoring case (see <see cref="ExternalIdName"/>). A component longer
/// than 255 characters is cut within its <c>{from}</c>, <c>{to}</c> and <c>{customer}</c> values, never in its fixed
/// text or its id. How much is cut depends only on the other values, never on the id (the id is counted at its longest,
/// <see cref="ExternalIdName.MaxLength"/>), so two items whose other values are alike differ exactly where their ids do.</para>
/// </summary>
public sealed class PathTemplate
{
    public const string Default = "/Archiver/{kind}/{yyyy}/{MM}/{dd}/{from}_{to}_{id}.{ext}";
    private const int MaxComponentLength = 255;

    /// <summary>Placeholders whose values are bounded, with their longest value.</summary>
    private static readonly Dictionary<string, int> BoundedPlaceholders = new(StringComparer.Ordinal)
    {
        ["kind"] = 10, ["yyyy"] = 4, ["MM"] = 2, ["dd"] = 2, ["HH"] = 2, ["mm"] = 2, ["ss"] = 2, ["ext"] = 3,
    };

    /// <summary>Placeholders whose values may be cut to make a component fit.</summary>
    private static readonly HashSet<string> CuttablePlaceholders = new(StringComparer.Ordinal) { "customer", "from", "to" };

    private static readonly string[] Placeholders =
        ["customer", "kind", "yyyy", "MM", "dd", "HH", "mm", "ss", "from", "to", "id", "ext"];

    private readonly IReadOnlyList<IReadOnlyList<Part>> _components;

    private PathTemplate(string template, IReadOnlyList<IReadOnlyList<Part>> components)
    {
        Template = template;
        _components = components;
    }

    public string Template { get; }

    /// <summary>Parses a template; throws <see cref="FormatException"/> saying what is wrong (see <see cref="TryParse"/>).</summary>
    public static PathTemplate Parse(string template) =>
        TryParse(template, out var parsed, out var problem) ? parsed : throw new FormatException(problem);

    /// <summary>
    /// Decides whether <paramref name="template"/> is one every item can be archived under, and if not, why. A template
    /// must start with <c>/</c>, use only known placeholders, contain <c>{id}</c>, and have no component Dropbox cannot
    /// store: empty (<c>//</c>, a trailing <c>/</c>), <c>.</c>, <c>..</c>, fixed text that is nothing once trailing dots
    /// and spaces go, or fixed text so long that the component cannot fit 255 characters with its id.
    /// </summary>
    public static bool TryParse(string template, [NotNullWhen(true)] out PathTemplate? parsed, [NotNullWhen(false)] out string? problem)
    {
        parsed = null;
        problem = Problem(template, out var components);
        if (problem is null)
        {
            parsed = new PathTemplate(template, components);
        }

        return problem is null;
    }

    private static string? Problem(string template, out List<IReadOnlyList<Part>> components)
    {
        components = [];
        if (!template.StartsWith('/'))
        {
            return $"Path template '{template}' must start with '/'.";
        }

        foreach (var text in template[1..].Split('/'))
        {
            var parts = new List<Part>();
            var position = 0;
            while (position < text.Length)
            {
                var open = text.IndexOf('{', position);
                if (open < 0)
                {
                    parts.Add(new Part(text[position..], false));
                    break;
                }

                var close = text.IndexOf('}', open);
                if (close < 0)
                {
                    return $"Path template '{template}' has an unclosed '{{' in component '{text}'.";
                }

                var name = text[(open + 1)..close];
                if (!Placeholders.Contains(name, StringComparer.Ordinal))
                {
                    return $"Path template '{template}' uses unknown placeholder '{{{name}}}'; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.";
                }

                if (open > position)
                {
                    parts.Add(new Part(text[position..open], false));
                }

                parts.Add(new Part(name, true));
                position = close + 1;
            }

            components.Add(parts);
        }

        if (!components.Any(parts => parts.Contains(Part.Id)))
        {
            return $"Path template '{template}' must contain {{id}} so that every item gets its own path.";
        }

        foreach (var parts in components)
        {
            var text = string.Concat(parts.Select(p => p.IsPlaceholder ? "{" + p.Text + "}" : p.Text));
            if (parts.Count == 0)
            {
                return $"Path template '{template}' has an empty component ('//' or a trailing '/'); Dropbox paths cannot contain one.";
            }

            if (text is "." or "..")
            {
                return $"Path template '{template}' has a '{text}' component; Dropbox paths cannot contain one.";
            }

            if (!parts.Any(p => p.IsPlaceholder) && text.TrimEnd('.', ' ').Length == 0)
            {
                return $"Path template '{template}' has a component '{text}' that is nothing once trailing dots and spaces go.";
            }

            if (FixedLength(parts) + parts.Count(p => p.IsCuttable) > MaxComponentLength)
            {
                return $"Path template '{template}' has a component '{text}' whose fixed text, with {{id}} at its longest ({ExternalIdName.MaxLength}), is longer than 255 characters.";
            }
        }

        return null;
    }

    /// <summary>The length of a component apart from its cuttable values, counting each id at its longest.</summary>
    private static int FixedLength(IEnumerable<Part> parts) => parts.Sum(p =>
        !p.IsPlaceholder ? p.Text.Length
        : p == Part.Id ? ExternalIdName.MaxLength
        : BoundedPlaceholders.GetValueOrDefault(p.Text));

    /// <summary>The Dropbox path of <paramref name="item"/>.</summary>
    public string Render(ArchiveItem item)
    {
        var id = ExternalIdName.Of(item.ExternalId);
        var path = new StringBuilder(128);
        foreach (var parts in _components)
        {
            path.Append('/');
            AppendComponent(path, parts, item, id);
        }

        return path.ToString();
    }

    /// <summary>
    /// Appends one component: each part's value, the cuttable ones cut alike when the whole would pass 255 characters
    /// (the id counted at its longest), without trailing dots and spaces.
    /// </summary>
    private static void AppendComponent(StringBuilder path, IReadOnlyList<Part> parts, ArchiveItem item, string id)
    {
        var values = new string[parts.Count];
        var budget = MaxComponentLength;
        var cuttableLength = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            values[i] = !part.IsPlaceholder ? part.Text : part == Part.Id ? id : PathText.Sanitize(Value(part.Text, item));
            if (part.IsCuttable)
            {
                cuttableLength += values[i].Length;
            }
            else
            {
                budget -= part == Part.Id ? ExternalIdName.MaxLength : values[i].Length;
            }
        }

        var cap = cuttableLength > budget ? LongestFitting(parts, values, budget) : int.MaxValue;
        var start = path.Length;
        for (var i = 0; i < parts.Count; i++)
        {
            path.Append(parts[i].IsCuttable ? PathText.Cut(values[i], cap) : values[i]);
        }

        while (path.Length > start && path[^1] is '.' or ' ')
        {
            path.Length--;
        }
    }

    /// <summary>The largest cap (at least 1) such that the cuttable values, each cut to it, sum to at most the budget.</summary>
    private static int LongestFitting(IReadOnlyList<Part> parts, string[] values, int budget)
    {
        var (low, high) = (1, 0);
        for (var i = 0; i < parts.Count; i++)
        {
            high = parts[i].IsCuttable ? Math.Max(high, values[i].Length) : high;
        }

        while (low < high)
        {
            var cap = low + ((high - low + 1) / 2);
            var length = 0;
            for (var i = 0; i < parts.Count; i++)
            {
                length += parts[i].IsCuttable ? Math.Min(values[i].Length, cap) : 0;
            }

            if (length <= budget)
            {
                low = cap;
            }
            else
            {
                high = cap - 1;
            }
        }

        return low;
    }

    private static string Value(string placeholder, ArchiveItem item)
    {
        var at = item.Metadata.OccurredAt.UtcDateTime;
        return placeholder switch
        {
            "customer" => item.Customer.Value,
            "kind" => FolderOf(item.Kind),
            "yyyy" => at.ToString("yyyy", CultureInfo.InvariantCulture),
            "MM" => at.ToString("MM", CultureInfo.InvariantCulture),
            "dd" => at.ToString("dd", CultureInfo.InvariantCulture),
            "HH" => at.ToString("HH", CultureInfo.InvariantCulture),
            "mm" => at.ToString("mm", CultureInfo.InvariantCulture),
            "ss" => at.ToString("ss", CultureInfo.InvariantCulture),
            "from" => string.IsNullOrEmpty(item.Metadata.From) ? "unknown" : item.Metadata.From,
            "to" => string.IsNullOrEmpty(item.Metadata.To) ? "unknown" : item.Metadata.To,
            "ext" => ExtensionOf(item.Kind),
            _ => throw new InvalidOperationException($"Unhandled placeholder {placeholder}."),
        };
    }

    public static string FolderOf(ItemKind kind) => kind switch
    {
        ItemKind.CallRecording => "calls",
        ItemKind.Sms => "sms",
        ItemKind.Fax => "faxes",
        ItemKind.Voicemail => "voicemails",
        _ => "other",
    };

    public static string ExtensionOf(ItemKind kind) => kind switch
    {
        ItemKind.CallRecording => "wav",
        ItemKind.Sms => "txt",
        ItemKind.Fax => "pdf",
        ItemKind.Voicemail => "wav",
        _ => "bin",
    };

    /// <summary>Fixed text, or a placeholder's name.</summary>
    private sealed record Part(string Text, bool IsPlaceholder)
    {
        public static readonly Part Id = new("id", true);

        /// <summary>A placeholder whose value may be cut to make its component fit.</summary>
        public bool IsCuttable { get; } = IsPlaceholder && CuttablePlaceholders.Contains(Text);
    }
}
