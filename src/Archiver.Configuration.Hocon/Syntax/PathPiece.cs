namespace Archiver.Configuration.Hocon.Syntax;

/// <summary>
/// A run of key or substitution-path text: unquoted pieces are split on '.', quoted pieces are kept whole.
/// </summary>
internal readonly record struct PathPiece(string Text, bool Quoted);
