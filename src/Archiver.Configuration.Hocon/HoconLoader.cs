using Archiver.Configuration.Hocon.Includes;
using Archiver.Configuration.Hocon.Resolution;
using Archiver.Configuration.Hocon.Syntax;
using Archiver.Configuration.Hocon.Values;

namespace Archiver.Configuration.Hocon;

/// <summary>Parse, resolve and flatten: the whole pipeline from HOCON text to configuration keys.</summary>
internal static class HoconLoader
{
    /// <summary>Parses and resolves a document; <paramref name="source"/> names it in errors and anchors relative includes.</summary>
    public static HoconObject ParseAndResolve(string text, string source, IncludeFileSystem fileSystem, Func<string, string?>? environment = null)
    {
        var includes = new IncludeLoader(fileSystem);
        var tree = includes.ParseDocument(text, source);
        return Resolver.Resolve(tree, environment ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>Parses, resolves and flattens a document into configuration keys (<c>a:b:c</c>, <c>list:0</c>).</summary>
    public static Dictionary<string, string?> LoadConfigurationData(string text, string source, IncludeFileSystem fileSystem, Func<string, string?>? environment = null) =>
        Flattener.Flatten(ParseAndResolve(text, source, fileSystem, environment));

    /// <summary>As <see cref="LoadConfigurationData"/>, also saying where each key's value was written.</summary>
    public static Dictionary<string, string?> LoadConfigurationData(
        string text, string source, IncludeFileSystem fileSystem, Dictionary<string, SourcePosition> positions, Func<string, string?>? environment = null) =>
        Flattener.Flatten(ParseAndResolve(text, source, fileSystem, environment), positions);

    /// <summary>
    /// Every include location the document looks at (recursively), whether or not it exists. Parsing stops at
    /// the first error; the locations found until then are returned.
    /// </summary>
    public static IReadOnlyList<string> DiscoverIncludes(string text, string source, IncludeFileSystem fileSystem)
    {
        var includes = new IncludeLoader(fileSystem);
        try
        {
            includes.ParseDocument(text, source);
        }
        catch (HoconException)
        {
            // A broken file still gets its includes watched as far as they are known; Load reports the error.
        }

        return includes.ProbedFiles;
    }
}
