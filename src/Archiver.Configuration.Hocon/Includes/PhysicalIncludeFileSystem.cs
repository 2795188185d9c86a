namespace Archiver.Configuration.Hocon.Includes;

/// <summary>Includes on the local disk: relative names resolve against the including file's directory.</summary>
internal sealed class PhysicalIncludeFileSystem : IncludeFileSystem
{
    private readonly string _fallbackDirectory;

    /// <param name="fallbackDirectory">Base for includes in a document that has no file of its own (parsed from a string).</param>
    public PhysicalIncludeFileSystem(string? fallbackDirectory = null)
    {
        _fallbackDirectory = Path.GetFullPath(fallbackDirectory ?? Directory.GetCurrentDirectory());
    }

    public override string? Resolve(string includingFile, string name)
    {
        if (Path.IsPathRooted(name))
        {
            return Path.GetFullPath(name);
        }

        var directory = Path.IsPathRooted(includingFile)
            ? Path.GetDirectoryName(includingFile) ?? _fallbackDirectory
            : _fallbackDirectory;
        return Path.GetFullPath(Path.Combine(directory, name));
    }

    public override string? ReadAllText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
