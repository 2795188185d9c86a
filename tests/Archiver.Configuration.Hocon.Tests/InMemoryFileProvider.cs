using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Archiver.Configuration.Hocon.Tests;

/// <summary>A file provider without physical paths, so includes must go through the provider.</summary>
internal sealed class InMemoryFileProvider : IFileProvider
{
    private readonly Dictionary<string, string> _files;

    public InMemoryFileProvider(Dictionary<string, string> files)
    {
        _files = files;
    }

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IFileInfo GetFileInfo(string subpath) =>
        _files.TryGetValue(subpath.TrimStart('/'), out var text) ? new InMemoryFileInfo(subpath, text) : new NotFoundFileInfo(subpath);

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;
}
