using Archiver.Configuration.Hocon.Includes;
using Archiver.Configuration.Hocon.Values;

namespace Archiver.Configuration.Hocon.Syntax;

/// <summary>
/// Builds the value tree of one HOCON document from its tokens. Duplicate keys, dotted keys and includes are
/// merged here; substitutions are left in the tree for the <see cref="Resolution.Resolver"/>.
/// </summary>
internal sealed class Parser
{
    private static readonly string[] IncludeForms =
    [
        string.Empty, "file(", "required(", "required(file(",
    ];

    private const int MaxNesting = 256;

    private readonly List<Token> _tokens;
    private readonly string _source;
    private readonly HoconPath _mountPath;
    private readonly IncludeLoader? _includes;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens, string source, HoconPath mountPath, IncludeLoader? includes)
    {
        _tokens = tokens;
        _source = source;
        _mountPath = mountPath;
        _includes = includes;
    }

    private Token Current => _tokens[_index];

    /// <summary>
    /// Parses a document whose root object is mounted at <paramref name="mountPath"/> (the root for the main file,
    /// the include point for an included file: its substitutions and <c>+=</c> fields are made absolute with it).
    /// </summary>
    public static HoconObject Parse(string text, string source, HoconPath mountPath, IncludeLoader? includes)
    {
        var parser = new Parser(Lexer.Tokenize(text, source), source, mountPath, includes);
        return parser.ParseDocument();
    }

    private HoconObject ParseDocument()
    {
        SkipWhitespaceAndNewlines();
        HoconObject root;
        if (Current.Kind == TokenKind.OpenBrace)
        {
            var open = Next();
            root = ParseObjectBody(braced: true, _mountPath, open.Position);
            SkipWhitespaceAndNewlines();
            if (Current.Kind != TokenKind.EndOfFile)
            {
                throw Error(Current, $"expected end of file after the root object but found {Current.Describe()}");
            }
        }
        else if (Current.Kind == TokenKind.OpenBracket)
        {
            throw Error(Current, "the root of a HOCON configuration file must be an object, not an array");
        }
        else
        {
            root = ParseObjectBody(braced: false, _mountPath, Current.Position);
        }

        return root;
    }

    /// <param name="objectPath">Absolute path of the object being parsed, or null inside an array element.</param>
    private HoconObject ParseObjectBody(bool braced, HoconPath? objectPath, SourcePosition position)
    {
        var obj = new HoconObject(position);
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.CloseBrace when braced:
                    Next();
                    return obj;
                case TokenKind.CloseBrace:
                    throw Error(token, "unexpected '}' (no '{' to close)");
                case TokenKind.EndOfFile when braced:
                    throw Error(token, "expected '}' but found end of file");
                case TokenKind.EndOfFile:
                    return obj;
                case TokenKind.Comma:
                    throw Error(token, "unexpected ',' (expected a key)");
            }

            var description = ParseFieldOrInclude(obj, objectPath);

            SkipWhitespace();
            token = Current;
            switch (token.Kind)
            {
                case TokenKind.Comma:
                    Next();
                    break;
                case TokenKind.Newline:
                case TokenKind.CloseBrace:
                case TokenKind.EndOfFile:
                    break;
                default:
                    throw Error(token, $"expected ',' or a newline after {description} but found {token.Describe()}");
            }
        }
    }

    /// <returns>A description of what was parsed, for error messages.</returns>
    private string ParseFieldOrInclude(HoconObject obj, HoconPath? objectPath)
    {
        var first = Current;
        if (first.Kind == TokenKind.Unquoted && first.Text == "include")
        {
            ParseInclude(obj, objectPath);
            return "the include";
        }

        var pieces = new List<PathPiece>();
        while (Current.Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Whitespace)
        {
            var token = Next();
            pieces.Add(new PathPiece(token.Text, token.Kind == TokenKind.Quoted));
        }

        while (pieces.Count > 0 && !pieces[^1].Quoted && pieces[^1].Text.All(Lexer.IsWhitespace))
        {
            pieces.RemoveAt(pieces.Count - 1);
        }

        if (pieces.Count == 0)
        {
            throw Error(Current, $"expected a key but found {Current.Describe()}");
        }

        var key = HoconPath.FromPieces(pieces, first.Position);
        var fieldPath = objectPath?.Append(key);
        var separator = Current;
        HoconValue value;
        switch (separator.Kind)
        {
            case TokenKind.Equals:
            case TokenKind.Colon:
                Next();
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath) ?? throw Error(Current, $"expected a value for '{key}' but found {Current.Describe()}");
                break;
            case TokenKind.PlusEquals:
                Next();
                SkipWhitespaceAndNewlines();
                var element = ParseValue(fieldPath) ?? throw Error(Current, $"expected a value after '{key} +=' but found {Current.Describe()}");
                if (fieldPath is null)
                {
                    throw Error(separator, "'+=' is not supported inside an object that is an array element");
                }

                // a += x is defined as a = ${?a} [x]
                value = new HoconConcatenation(
                    [
                        new HoconSubstitution(fieldPath, fieldPath, isOptional: true, separator.Position),
                        new HoconArray(element.Position, [element]),
                    ],
                    separator.Position);
                break;
            case TokenKind.OpenBrace:
                value = ParseValue(fieldPath)!;
                break;
            default:
                throw Error(separator, $"expected ':', '=' or '{{' after key '{key}' but found {separator.Describe()}");
        }

        Assign(obj, key, value);
        return $"the value of '{key}'";
    }

    private static void Assign(HoconObject obj, HoconPath key, HoconValue value)
    {
        // a.b.c = v is a { b { c = v } }: build the nested objects and merge them like any duplicate key.
        var nested = value;
        for (var i = key.Count - 1; i > 0; i--)
        {
            var wrapper = new HoconObject(value.Position);
            wrapper.Merge(key.Segments[i], nested);
            nested = wrapper;
        }

        obj.Merge(key.Segments[0], nested);
    }

    private void ParseInclude(HoconObject obj, HoconPath? objectPath)
    {
        var keyword = Next();
        SkipWhitespaceAndNewlines();

        var form = string.Empty;
        while (Current.Kind is TokenKind.Unquoted or TokenKind.Whitespace)
        {
            var token = Next();
            if (token.Kind == TokenKind.Unquoted)
            {
                form += token.Text;
            }
        }

        if (form is "url(" or "classpath(" or "required(url(" or "required(classpath(")
        {
            throw Error(keyword, $"include {form.TrimEnd('(')}(...) is not supported; use include \"file\" or include file(\"file\")");
        }

        if (!IncludeForms.Contains(form, StringComparer.Ordinal))
        {
            throw Error(keyword, $"'include' must be followed by a quoted file name, file(\"...\") or required(...), not '{form}' (quote \"include\" to use it as a key)");
        }

        if (Current.Kind != TokenKind.Quoted)
        {
            throw Error(Current, $"'include' must be followed by a quoted file name but found {Current.Describe()} (quote \"include\" to use it as a key)");
        }

        var name = Next().Text;
        var closing = form.Count(c => c == '(');
        while (closing > 0)
        {
            SkipWhitespace();
            var token = Current;
            if (token.Kind != TokenKind.Unquoted || token.Text.Length > closing || token.Text.Any(c => c != ')'))
            {
                throw Error(token, $"expected ')' to close the include but found {token.Describe()}");
            }

            closing -= token.Text.Length;
            Next();
        }

        if (name.Contains("://", StringComparison.Ordinal))
        {
            throw Error(keyword, $"including a URL ('{name}') is not supported");
        }

        if (_includes is null)
        {
            throw Error(keyword, "include is not available when parsing this source");
        }

        if (objectPath is null)
        {
            throw Error(keyword, "include is not supported inside an object that is an array element");
        }

        var included = _includes.Load(new IncludeStatement(name, form.StartsWith("required(", StringComparison.Ordinal)), _source, objectPath, keyword.Position);
        if (included is not null)
        {
            obj.MergeFrom(included);
        }
    }

    /// <summary>
    /// Parses a value concatenation up to the end of the field or element (newline, ',', '}', ']' or end of file).
    /// Returns null when no value is there.
    /// </summary>
    private HoconValue? ParseValue(HoconPath? fieldPath)
    {
        var parts = new List<HoconValue>();
        var firstIsUnquoted = Current.Kind == TokenKind.Unquoted;
        Token? pendingWhitespace = null;
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    Next();
                    if (parts.Count > 0)
                    {
                        pendingWhitespace = token;
                    }

                    continue;
                case TokenKind.Unquoted:
                case TokenKind.Quoted:
                case TokenKind.Substitution:
                case TokenKind.OpenBrace:
                case TokenKind.OpenBracket:
                    if (pendingWhitespace is not null)
                    {
                        parts.Add(new HoconScalar(ScalarKind.Whitespace, pendingWhitespace.Text, pendingWhitespace.Position));
                        pendingWhitespace = null;
                    }

                    parts.Add(ParseSimpleValue(fieldPath));
                    continue;
                case TokenKind.Equals:
                case TokenKind.Colon:
                case TokenKind.PlusEquals:
                    throw Error(token, $"unexpected '{token.Text}' in a value (quote the value if it contains '{token.Text}')");
            }

            break;
        }

        return parts.Count switch
        {
            0 => null,
            1 when firstIsUnquoted => HoconScalar.FromUnquoted(((HoconScalar)parts[0]).Text, parts[0].Position),
            1 => parts[0],
            _ => new HoconConcatenation(parts, parts[0].Position),
        };
    }

    private HoconValue ParseSimpleValue(HoconPath? fieldPath)
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Unquoted:
            case TokenKind.Quoted:
                return new HoconScalar(ScalarKind.String, token.Text, token.Position);
            case TokenKind.Substitution:
                var original = token.Path!;
                return new HoconSubstitution(_mountPath.Append(original), original, token.IsOptional, token.Position);
            default:
                if (++_depth > MaxNesting)
                {
                    throw Error(token, $"objects and arrays are nested more than {MaxNesting} levels deep");
                }

                try
                {
                    return token.Kind == TokenKind.OpenBrace
                        ? ParseObjectBody(braced: true, fieldPath, token.Position)
                        : ParseArray(token.Position);
                }
                finally
                {
                    _depth--;
                }
        }
    }

    private HoconArray ParseArray(SourcePosition position)
    {
        var array = new HoconArray(position);
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.CloseBracket:
                    Next();
                    return array;
                case TokenKind.EndOfFile:
                    throw Error(token, "expected ']' but found end of file");
                case TokenKind.Comma:
                    throw Error(token, "unexpected ',' (expected an array element or ']')");
            }

            var element = ParseValue(fieldPath: null) ?? throw Error(token, $"expected an array element or ']' but found {token.Describe()}");
            array.Add(element);

            SkipWhitespace();
            token = Current;
            switch (token.Kind)
            {
                case TokenKind.Comma:
                    Next();
                    break;
                case TokenKind.Newline:
                case TokenKind.CloseBracket:
                    break;
                case TokenKind.EndOfFile:
                    throw Error(token, "expected ']' but found end of file");
                default:
                    throw Error(token, $"expected ',' or ']' after an array element but found {token.Describe()}");
            }
        }
    }

    private Token Next()
    {
        var token = _tokens[_index];
        if (token.Kind != TokenKind.EndOfFile)
        {
            _index++;
        }

        return token;
    }

    private void SkipWhitespace()
    {
        while (Current.Kind == TokenKind.Whitespace)
        {
            _index++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Current.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _index++;
        }
    }

    private static HoconException Error(Token token, string reason) => new(token.Position, reason);
}
