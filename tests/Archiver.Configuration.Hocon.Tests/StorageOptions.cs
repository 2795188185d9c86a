namespace Archiver.Configuration.Hocon.Tests;

public sealed class StorageOptions
{
    public string? Root { get; set; }
}
