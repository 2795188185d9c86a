namespace Archiver.Configuration.Hocon.Includes;

/// <summary>Where included files are read from: the physical disk, or an <c>IFileProvider</c>.</summary>
internal abstract class IncludeFileSystem
{
    /// <summary>The location of <paramref name="name"/> included from <paramref name="includingFile"/>, or null when it cannot exist.</summary>
    public abstract string? Resolve(string includingFile, string name);

    /// <summary>The file's text, or null when it does not exist.</summary>
    public abstract string? ReadAllText(string path);
}
