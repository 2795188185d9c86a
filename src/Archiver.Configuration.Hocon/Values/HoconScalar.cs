using System.Text.RegularExpressions;
using Archiver.Configuration.Hocon.Syntax;

namespace Archiver.Configuration.Hocon.Values;

/// <summary>A string, number, boolean or null. The original text is kept (<c>1.50</c> stays <c>1.50</c>).</summary>
internal sealed partial class HoconScalar : HoconValue
{
    public HoconScalar(ScalarKind kind, string text, SourcePosition position)
        : base(position)
    {
        Kind = kind;
        Text = text;
    }

    public ScalarKind Kind { get; }

    public string Text { get; }

    public override bool IsResolved => true;

    public override string TypeName => Kind switch
    {
        ScalarKind.Number => "number",
        ScalarKind.Boolean => "boolean",
        ScalarKind.Null => "null",
        _ => "string",
    };

    /// <summary>
    /// Types a lone unquoted token as JSON would: <c>true</c>/<c>false</c>, <c>null</c>, a JSON number, else a string.
    /// </summary>
    public static HoconScalar FromUnquoted(string text, SourcePosition position)
    {
        var kind = text switch
        {
            "true" or "false" => ScalarKind.Boolean,
            "null" => ScalarKind.Null,
            _ => JsonNumber().IsMatch(text) ? ScalarKind.Number : ScalarKind.String,
        };
        return new HoconScalar(kind, text, position);
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
