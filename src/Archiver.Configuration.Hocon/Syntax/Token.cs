namespace Archiver.Configuration.Hocon.Syntax;

/// <summary>
/// One lexical token. <see cref="Text"/> is the decoded text (escapes applied for quoted strings,
/// the raw characters otherwise). Substitution tokens carry their parsed <see cref="Path"/>.
/// </summary>
internal sealed class Token
{
    public Token(TokenKind kind, string text, SourcePosition position)
    {
        Kind = kind;
        Text = text;
        Position = position;
    }

    public TokenKind Kind { get; }

    public string Text { get; }

    public SourcePosition Position { get; }

    /// <summary>For <see cref="TokenKind.Substitution"/>: the path inside <c>${...}</c>.</summary>
    public HoconPath? Path { get; init; }

    /// <summary>For <see cref="TokenKind.Substitution"/>: true for <c>${?...}</c>.</summary>
    public bool IsOptional { get; init; }

    /// <summary>A short description for error messages, e.g. <c>'}'</c> or <c>end of file</c>.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Newline => "newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Quoted => $"quoted string \"{Text}\"",
        TokenKind.Unquoted => $"'{Text}'",
        TokenKind.Substitution => $"substitution ${{{(IsOptional ? "?" : string.Empty)}{Path}}}",
        _ => $"'{Text}'",
    };
}
