namespace Archiver.Storage.Relational;

/// <summary>One step of the schema's history. Once shipped, a migration is never edited: add a new one.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
