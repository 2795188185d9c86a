using System.Text;

namespace Archiver.Configuration.Hocon.Syntax;

/// <summary>An immutable path of keys from the root, e.g. <c>archiver.storage."a.b"</c>.</summary>
internal sealed class HoconPath : IEquatable<HoconPath>
{
    private readonly string[] _segments;

    private HoconPath(string[] segments)
    {
        _segments = segments;
    }

    public static HoconPath Root { get; } = new([]);

    public IReadOnlyList<string> Segments => _segments;

    public int Count => _segments.Length;

    public bool IsRoot => _segments.Length == 0;

    public static HoconPath Of(params string[] segments) => new([.. segments]);

    /// <summary>
    /// Builds a path from key pieces as HOCON defines: '.' in unquoted text separates elements,
    /// quoted text is taken whole, and adjacent pieces join into one element.
    /// </summary>
    public static HoconPath FromPieces(IReadOnlyList<PathPiece> pieces, SourcePosition position)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var started = false;
        foreach (var piece in pieces)
        {
            if (piece.Quoted)
            {
                current.Append(piece.Text);
                started = true;
                continue;
            }

            foreach (var c in piece.Text)
            {
                if (c == '.')
                {
                    if (!started)
                    {
                        throw new HoconException(position, $"invalid path '{Render(pieces)}': empty path element (two dots, or a leading or trailing dot)");
                    }

                    segments.Add(current.ToString());
                    current.Clear();
                    started = false;
                }
                else
                {
                    current.Append(c);
                    started = true;
                }
            }
        }

        if (!started)
        {
            throw new HoconException(position, pieces.Count == 0
                ? "empty path"
                : $"invalid path '{Render(pieces)}': empty path element (two dots, or a leading or trailing dot)");
        }

        segments.Add(current.ToString());
        return new HoconPath([.. segments]);
    }

    public HoconPath Append(string segment) => new([.. _segments, segment]);

    public HoconPath Append(HoconPath other) => other.IsRoot ? this : IsRoot ? other : new([.. _segments, .. other._segments]);

    /// <summary>True when this path equals <paramref name="other"/> or is an ancestor of it.</summary>
    public bool IsPrefixOf(HoconPath other)
    {
        if (_segments.Length > other._segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!string.Equals(_segments[i], other._segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The path as HOCON would write it, quoting elements that need it.</summary>
    public override string ToString()
    {
        if (_segments.Length == 0)
        {
            return "(root)";
        }

        return string.Join('.', _segments.Select(Quote));
    }

    /// <summary>The elements joined with '.', unquoted: the name used for environment variable fallback.</summary>
    public string ToPlainString() => string.Join('.', _segments);

    public bool Equals(HoconPath? other) =>
        other is not null && _segments.AsSpan().SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var segment in _segments)
        {
            hash.Add(segment, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static string Quote(string segment)
    {
        if (segment.Length > 0 && segment.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
        {
            return segment;
        }

        return "\"" + segment.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static string Render(IReadOnlyList<PathPiece> pieces) =>
        string.Concat(pieces.Select(p => p.Quoted ? "\"" + p.Text + "\"" : p.Text));
}
