using System.Globalization;
using System.Text;

namespace Archiver.Configuration.Hocon.Syntax;

/// <summary>
/// Turns HOCON text into tokens. Comments are dropped (the newline that ends them is kept);
/// whitespace runs are kept as tokens because value concatenation and keys preserve inner whitespace.
/// </summary>
internal sealed class Lexer
{
    // Characters that may not appear in an unquoted string (HOCON spec), besides whitespace and "//".
    private const string ForbiddenInUnquoted = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string _source;
    private int _index;
    private int _line = 1;
    private int _column = 1;

    public Lexer(string text, string source)
    {
        _text = text;
        _source = source;
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _index = 1;
        }
    }

    public static List<Token> Tokenize(string text, string source)
    {
        var lexer = new Lexer(text, source);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.EndOfFile)
            {
                return tokens;
            }
        }
    }

    public static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private SourcePosition Position => new(_source, _line, _column);

    private bool AtEnd => _index >= _text.Length;

    private char Current => _text[_index];

    public Token Next()
    {
        while (true)
        {
            var start = Position;
            if (AtEnd)
            {
                return new Token(TokenKind.EndOfFile, string.Empty, start);
            }

            var c = Current;
            if (c == '\n')
            {
                Advance();
                return new Token(TokenKind.Newline, "\n", start);
            }

            if (c == '#' || StartsWith("//"))
            {
                SkipComment();
                continue;
            }

            if (IsWhitespace(c))
            {
                var ws = new StringBuilder();
                while (!AtEnd && IsWhitespace(Current))
                {
                    ws.Append(Current);
                    Advance();
                }

                return new Token(TokenKind.Whitespace, ws.ToString(), start);
            }

            switch (c)
            {
                case '{':
                    return Single(TokenKind.OpenBrace, start);
                case '}':
                    return Single(TokenKind.CloseBrace, start);
                case '[':
                    return Single(TokenKind.OpenBracket, start);
                case ']':
                    return Single(TokenKind.CloseBracket, start);
                case ',':
                    return Single(TokenKind.Comma, start);
                case '=':
                    return Single(TokenKind.Equals, start);
                case ':':
                    return Single(TokenKind.Colon, start);
                case '+':
                    if (StartsWith("+="))
                    {
                        Advance();
                        Advance();
                        return new Token(TokenKind.PlusEquals, "+=", start);
                    }

                    throw Error(start, "'+' is only allowed as part of '+=' (quote the value if it contains '+')");
                case '"':
                    return StartsWith("\"\"\"") ? ReadTripleQuoted(start) : new Token(TokenKind.Quoted, ReadQuoted(start), start);
                case '$':
                    if (StartsWith("${"))
                    {
                        return ReadSubstitution(start);
                    }

                    throw Error(start, "'$' is only allowed to start a substitution '${...}' (quote the value if it contains '$')");
                default:
                    if (ForbiddenInUnquoted.Contains(c, StringComparison.Ordinal))
                    {
                        throw Error(start, $"reserved character '{c}' is not allowed outside quotes");
                    }

                    return new Token(TokenKind.Unquoted, ReadUnquoted(), start);
            }
        }
    }

    private Token Single(TokenKind kind, SourcePosition start)
    {
        var text = Current.ToString();
        Advance();
        return new Token(kind, text, start);
    }

    private bool StartsWith(string value) =>
        string.CompareOrdinal(_text, _index, value, 0, value.Length) == 0;

    private void Advance()
    {
        if (_text[_index] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _index++;
    }

    private void SkipComment()
    {
        while (!AtEnd && Current != '\n')
        {
            Advance();
        }
    }

    private string ReadUnquoted()
    {
        var start = _index;
        while (!AtEnd)
        {
            var c = Current;
            if (c == '\n' || IsWhitespace(c) || ForbiddenInUnquoted.Contains(c, StringComparison.Ordinal) || StartsWith("//"))
            {
                break;
            }

            Advance();
        }

        return _text[start.._index];
    }

    private string ReadQuoted(SourcePosition start)
    {
        Advance(); // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error(start, "unterminated quoted string");
            }

            var c = Current;
            if (c == '"')
            {
                Advance();
                return sb.ToString();
            }

            if (c == '\n')
            {
                throw Error(Position, "newline inside a quoted string (use \\n, or a triple-quoted \"\"\"string\"\"\")");
            }

            if (c == '\\')
            {
                var escapeAt = Position;
                Advance();
                if (AtEnd)
                {
                    throw Error(start, "unterminated quoted string");
                }

                var e = Current;
                Advance();
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        sb.Append(ReadUnicodeEscape(escapeAt));
                        break;
                    default:
                        throw Error(escapeAt, $"invalid escape sequence '\\{e}' in quoted string");
                }

                continue;
            }

            sb.Append(c);
            Advance();
        }
    }

    private char ReadUnicodeEscape(SourcePosition escapeAt)
    {
        if (_index + 4 > _text.Length
            || !int.TryParse(_text.AsSpan(_index, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw Error(escapeAt, "invalid \\u escape: expected four hex digits");
        }

        for (var i = 0; i < 4; i++)
        {
            Advance();
        }

        return (char)code;
    }

    private Token ReadTripleQuoted(SourcePosition start)
    {
        for (var i = 0; i < 3; i++)
        {
            Advance();
        }

        var contentStart = _index;
        while (!AtEnd)
        {
            if (StartsWith("\"\"\""))
            {
                // A run of more than three quotes ends the string with the extra quotes as content.
                var runStart = _index;
                while (!AtEnd && Current == '"')
                {
                    Advance();
                }

                var extra = _index - runStart - 3;
                return new Token(TokenKind.Quoted, _text[contentStart..(runStart + extra)], start);
            }

            Advance();
        }

        throw Error(start, "unterminated triple-quoted string");
    }

    private Token ReadSubstitution(SourcePosition start)
    {
        var startIndex = _index;
        Advance(); // $
        Advance(); // {
        var optional = false;
        if (!AtEnd && Current == '?')
        {
            optional = true;
            Advance();
        }

        var pieces = new List<PathPiece>();
        while (true)
        {
            if (AtEnd || Current == '\n')
            {
                throw Error(start, "unterminated substitution: expected '}'");
            }

            var c = Current;
            if (c == '}')
            {
                Advance();
                break;
            }

            if (c == '"')
            {
                var quotedStart = Position;
                var text = StartsWith("\"\"\"") ? ReadTripleQuoted(quotedStart).Text : ReadQuoted(quotedStart);
                pieces.Add(new PathPiece(text, Quoted: true));
            }
            else if (IsWhitespace(c))
            {
                var ws = new StringBuilder();
                while (!AtEnd && IsWhitespace(Current))
                {
                    ws.Append(Current);
                    Advance();
                }

                pieces.Add(new PathPiece(ws.ToString(), Quoted: false));
            }
            else if (ForbiddenInUnquoted.Contains(c, StringComparison.Ordinal) || StartsWith("//"))
            {
                throw Error(Position, $"character '{c}' is not allowed in a substitution path (quote the path element)");
            }
            else
            {
                pieces.Add(new PathPiece(ReadUnquoted(), Quoted: false));
            }
        }

        TrimWhitespacePieces(pieces);
        if (pieces.Count == 0)
        {
            throw Error(start, "empty substitution '${}'");
        }

        var path = HoconPath.FromPieces(pieces, start);
        return new Token(TokenKind.Substitution, _text[startIndex.._index], start)
        {
            Path = path,
            IsOptional = optional,
        };
    }

    private static void TrimWhitespacePieces(List<PathPiece> pieces)
    {
        while (pieces.Count > 0 && !pieces[0].Quoted && pieces[0].Text.All(IsWhitespace))
        {
            pieces.RemoveAt(0);
        }

        while (pieces.Count > 0 && !pieces[^1].Quoted && pieces[^1].Text.All(IsWhitespace))
        {
            pieces.RemoveAt(pieces.Count - 1);
        }
    }

    private static HoconException Error(SourcePosition position, string reason) => new(position, reason);
}
