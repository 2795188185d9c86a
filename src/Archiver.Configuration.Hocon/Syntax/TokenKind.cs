namespace Archiver.Configuration.Hocon.Syntax;

internal enum TokenKind
{
    EndOfFile,
    Newline,
    Whitespace,
    Comma,
    Equals,
    Colon,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Unquoted,
    Quoted,
    Substitution,
}
