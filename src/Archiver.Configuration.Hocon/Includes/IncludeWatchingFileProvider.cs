using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Archiver.Configuration.Hocon.Includes;

/// <summary>
/// Wraps a source's file provider so that watching the HOCON file also watches every file it includes
/// (found by parsing the file each time the watch is renewed). The base provider's reload then covers
/// changes to included files. Included files outside the wrapped provider's root cannot be watched.
/// </summary>
internal sealed class IncludeWatchingFileProvider : IFileProvider
{
    private readonly HoconConfigurationSource _source;

    public IncludeWatchingFileProvider(IFileProvider inner, HoconConfigurationSource source)
    {
        Inner = inner;
        _source = source;
    }

    public IFileProvider Inner { get; }

    public IDirectoryContents GetDirectoryContents(string subpath) => Inner.GetDirectoryContents(subpath);

    public IFileInfo GetFileInfo(string subpath) => Inner.GetFileInfo(subpath);

    public IChangeToken Watch(string filter)
    {
        var token = Inner.Watch(filter);
        if (!string.Equals(filter, _source.Path, StringComparison.Ordinal))
        {
            return token;
        }

        var tokens = new List<IChangeToken> { token };
        foreach (var include in DiscoverIncludes())
        {
            var subpath = ToSubpath(include);
            if (subpath is not null)
            {
                tokens.Add(Inner.Watch(subpath));
            }
        }

        return tokens.Count == 1 ? token : new CompositeChangeToken(tokens);
    }

    private IReadOnlyList<string> DiscoverIncludes()
    {
        var file = Inner.GetFileInfo(_source.Path ?? string.Empty);
        if (!file.Exists || file.IsDirectory)
        {
            return [];
        }

        string text;
        try
        {
            using var stream = file.CreateReadStream();
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (IOException)
        {
            return []; // being rewritten: the next change renews the watch
        }

        var (fileSystem, sourceName) = _source.IncludeRoot();
        return HoconLoader.DiscoverIncludes(text, sourceName, fileSystem);
    }

    private string? ToSubpath(string include)
    {
        if (!Path.IsPathRooted(include))
        {
            return include; // already a provider sub-path
        }

        if (Inner is not PhysicalFileProvider physical)
        {
            return null;
        }

        var relative = Path.GetRelativePath(physical.Root, include);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
