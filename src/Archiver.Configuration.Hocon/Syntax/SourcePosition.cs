namespace Archiver.Configuration.Hocon.Syntax;

/// <summary>A place in a HOCON source: the file (or other source name), 1-based line and 1-based column.</summary>
internal readonly record struct SourcePosition(string Source, int Line, int Column)
{
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
