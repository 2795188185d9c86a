using System.Text;
using Microsoft.Extensions.FileProviders;

namespace Archiver.Configuration.Hocon.Tests;

internal sealed class InMemoryFileInfo : IFileInfo
{
    private readonly byte[] _bytes;

    public InMemoryFileInfo(string path, string text)
    {
        Name = Path.GetFileName(path);
        _bytes = Encoding.UTF8.GetBytes(text);
    }

    public bool Exists => true;

    public long Length => _bytes.Length;

    public string? PhysicalPath => null;

    public string Name { get; }

    public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

    public bool IsDirectory => false;

    public Stream CreateReadStream() => new MemoryStream(_bytes, writable: false);
}
