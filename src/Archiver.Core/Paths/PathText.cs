using System.Text;

namespace Archiver.Core.Paths;

/// <summary>Making a substituted value safe as part of one Dropbox path component, and cutting it to a length.</summary>
internal static class PathText
{
    /// <summary>
    /// Path separators, the characters Windows clients cannot sync (<c>&lt; &gt; : " | ? *</c>), control characters
    /// and unpaired surrogates become <c>_</c>; trailing dots and spaces go; nothing at all becomes <c>_</c>.
    /// </summary>
    public static string Sanitize(string value)
    {
        if (IsSafe(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            builder.Append(IsReplaced(c) ? '_' : c);
        }

        return NotEmpty(builder.ToString().TrimEnd('.', ' '));
    }

    /// <summary>True when <see cref="Sanitize"/> would leave the value as it is: most values, phone numbers and the like.</summary>
    private static bool IsSafe(string value)
    {
        if (value.Length == 0 || value[^1] is '.' or ' ')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (IsReplaced(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A character that becomes <c>_</c> (a surrogate only when unpaired, which the caller decides).</summary>
    private static bool IsReplaced(char c) =>
        c is '/' or '\\' or '<' or '>' or ':' or '"' or '|' or '?' or '*' || char.IsControl(c) || char.IsSurrogate(c);

    /// <summary>The first <paramref name="length"/> characters at most, never splitting a surrogate pair, without trailing
    /// dots and spaces, and never empty.</summary>
    public static string Cut(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        var end = length > 0 && char.IsHighSurrogate(value[length - 1]) ? length - 1 : length;
        return NotEmpty(value[..end].TrimEnd('.', ' '));
    }

    private static string NotEmpty(string value) => value.Length == 0 ? "_" : value;
}
