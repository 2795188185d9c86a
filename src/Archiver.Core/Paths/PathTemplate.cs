using System.Globalization;
using System.Text;
using Archiver.Items;

namespace Archiver.Paths;

/// <summary>
/// Turns an item into its Dropbox path, e.g. <c>/Archiver/{kind}/{yyyy}/{MM}/{dd}/{from}_{to}_{id}.{ext}</c>.
/// <para>Placeholders: <c>{customer}</c>, <c>{kind}</c> (calls, sms, faxes, voicemails), <c>{yyyy}</c> <c>{MM}</c> <c>{dd}</c>
/// <c>{HH}</c> <c>{mm}</c> <c>{ss}</c> (when it happened, UTC), <c>{from}</c>, <c>{to}</c>, <c>{id}</c> (the external id),
/// <c>{ext}</c> (wav, txt, pdf, wav by kind). <c>{id}</c> is required so that every item gets its own path.</para>
/// <para>Every substituted value is made safe for Dropbox: path separators, characters Windows clients cannot sync
/// (<c>&lt; &gt; : " | ? *</c>) and control characters become <c>_</c>, trailing dots and spaces go, and each path
/// component is cut to 255 characters, keeping its extension. Because Dropbox paths are case-insensitive, an
/// external id with capitals, or one that sanitising changed or that is over 128 characters, gets a short suffix
/// hashed from its exact spelling, so distinct ids never collide.</para>
/// </summary>
public sealed class PathTemplate
{
    public const string Default = "/Archiver/{kind}/{yyyy}/{MM}/{dd}/{from}_{to}_{id}.{ext}";
    private const int MaxComponentLength = 255;
    private const int MaxIdLength = 128;

    private static readonly HashSet<string> Placeholders =
        ["customer", "kind", "yyyy", "MM", "dd", "HH", "mm", "ss", "from", "to", "id", "ext"];

    private readonly IReadOnlyList<(string Text, bool IsPlaceholder)> _parts;

    private PathTemplate(string template, IReadOnlyList<(string, bool)> parts)
    {
        Template = template;
        _parts = parts;
    }

    public string Template { get; }

    /// <summary>Parses a template; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static PathTemplate Parse(string template)
    {
        if (!template.StartsWith('/'))
        {
            throw new FormatException($"Path template '{template}' must start with '/'.");
        }

        var parts = new List<(string, bool)>();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                parts.Add((template[position..], false));
                break;
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new FormatException($"Path template '{template}' has an unclosed '{{' at position {open}.");
            }

            var name = template[(open + 1)..close];
            if (!Placeholders.Contains(name))
            {
                throw new FormatException(
                    $"Path template '{template}' uses unknown placeholder '{{{name}}}'; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
            }

            if (open > position)
            {
                parts.Add((template[position..open], false));
            }

            parts.Add((name, true));
            position = close + 1;
        }

        if (!parts.Contains(("id", true)))
        {
            throw new FormatException($"Path template '{template}' must contain {{id}} so that every item gets its own path.");
        }

        return new PathTemplate(template, parts);
    }

    /// <summary>The Dropbox path of <paramref name="item"/> for customer <paramref name="customer"/>.</summary>
    public string Render(ArchiveItem item)
    {
        var builder = new StringBuilder(128);
        foreach (var (text, isPlaceholder) in _parts)
        {
            builder.Append(!isPlaceholder ? text : text == "id" ? IdComponent(item.ExternalId) : Sanitize(Value(text, item)));
        }

        return string.Join('/', builder.ToString().Split('/').Select(TrimComponent));
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
            "id" => item.ExternalId,
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

    /// <summary>
    /// The external id as a path component. Dropbox paths are case-insensitive and sanitising maps several characters
    /// to one, so an id that sanitising would change, that has capitals, or that is long gets a suffix from the hash of
    /// its exact spelling (<c>CALL-1~bd8b7987</c>): two distinct ids never share a path, and an id always renders the
    /// same, so a retry lands on its own earlier upload.
    /// </summary>
    private static string IdComponent(string externalId)
    {
        var safe = Sanitize(externalId);
        if (safe == externalId && !externalId.Any(char.IsUpper) && externalId.Length <= MaxIdLength)
        {
            return safe;
        }

        var hash = 2166136261u;
        foreach (var c in externalId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(safe.Length > MaxIdLength ? safe[..MaxIdLength] : safe)}~{hash:x8}");
    }

    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c is '/' or '\\' or '<' or '>' or ':' or '"' or '|' or '?' or '*' || char.IsControl(c) ? '_' : c);
        }

        var safe = builder.ToString().TrimEnd('.', ' ');
        return safe.Length == 0 ? "_" : safe;
    }

    private static string TrimComponent(string component)
    {
        component = component.TrimEnd('.', ' ');
        if (component.Length <= MaxComponentLength)
        {
            return component;
        }

        var dot = component.LastIndexOf('.');
        var extension = dot > 0 && component.Length - dot <= 16 ? component[dot..] : string.Empty;
        return component[..(MaxComponentLength - extension.Length)].TrimEnd('.', ' ') + extension;
    }
}
