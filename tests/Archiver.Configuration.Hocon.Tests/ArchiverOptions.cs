namespace Archiver.Configuration.Hocon.Tests;

/// <summary>An options class as the service would write it: durations and sizes stay strings and convert with <see cref="HoconValues"/>.</summary>
public sealed class ArchiverOptions
{
    public string? Name { get; set; }

    public string Timeout { get; set; } = "30s";

    public int Workers { get; set; }

    public List<string> Paths { get; set; } = [];

    public StorageOptions Storage { get; set; } = new();
}
