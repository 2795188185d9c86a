using Microsoft.Extensions.FileProviders;

namespace Archiver.Configuration.Hocon.Includes;

/// <summary>
/// Includes read through an <see cref="IFileProvider"/> (used when the configuration file has no physical path,
/// e.g. an embedded or in-memory provider). Paths are provider sub-paths separated by '/'; an include may not
/// climb above the provider's root.
/// </summary>
internal sealed class FileProviderIncludeFileSystem : IncludeFileSystem
{
    private readonly IFileProvider _provider;

    public FileProviderIncludeFileSystem(IFileProvider provider)
    {
        _provider = provider;
    }

    public override string? Resolve(string includingFile, string name)
    {
        var parts = new List<string>();
        if (!name.StartsWith('/'))
        {
            parts.AddRange(includingFile.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries));
            if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1); // the including file's own name
            }
        }

        foreach (var part in name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    public override string? ReadAllText(string path)
    {
        var file = _provider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return null;
        }

        using var stream = file.CreateReadStream();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
