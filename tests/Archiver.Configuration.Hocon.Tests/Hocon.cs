using Archiver.Configuration.Hocon.Includes;
using Archiver.Configuration.Hocon.Values;

namespace Archiver.Configuration.Hocon.Tests;

/// <summary>Test helpers: run the parse → resolve → flatten pipeline on a string.</summary>
internal static class Hocon
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    public static Dictionary<string, string?> Flatten(string text, Func<string, string?>? environment = null, string source = "test.conf", string? directory = null) =>
        HoconLoader.LoadConfigurationData(text, source, new PhysicalIncludeFileSystem(directory), environment ?? NoEnvironment);

    public static HoconObject Resolve(string text, Func<string, string?>? environment = null) =>
        HoconLoader.ParseAndResolve(text, "test.conf", new PhysicalIncludeFileSystem(), environment ?? NoEnvironment);

    public static HoconException Fails(string text, Func<string, string?>? environment = null, string source = "test.conf") =>
        Assert.Throws<HoconException>(() => Flatten(text, environment, source));

    public static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
