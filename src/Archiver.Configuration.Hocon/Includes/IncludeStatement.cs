namespace Archiver.Configuration.Hocon.Includes;

/// <summary><c>include "name"</c>, <c>include file("name")</c> or <c>include required(...)</c>.</summary>
internal sealed record IncludeStatement(string Name, bool Required);
