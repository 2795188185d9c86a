using Archiver.Configuration.Hocon.Includes;
using Microsoft.Extensions.Configuration;

namespace Archiver.Configuration.Hocon;

/// <summary>
/// A HOCON file as a configuration source. Includes resolve relative to the file: on disk when the file has a
/// physical path (so <c>include "../common.conf"</c> works), otherwise through <see cref="FileConfigurationSource.FileProvider"/>.
/// With <see cref="FileConfigurationSource.ReloadOnChange"/>, changes to included files reload the configuration
/// too (for included files inside the directory the provider watches).
/// </summary>
public sealed class HoconConfigurationSource : FileConfigurationSource
{
    /// <summary>
    /// Rewrites each flattened key before it is stored, e.g. to let <c>rate-per-second</c> bind to a
    /// <c>RatePerSecond</c> property. Null keeps keys as written.
    /// </summary>
    public Func<string, string>? KeyTransform { get; set; }

    /// <summary>
    /// When true, a reload that fails (a broken edit) keeps the keys of the last successful load instead of clearing
    /// them, and the error is kept in <see cref="HoconConfigurationProvider.LastReloadError"/>. The first load still throws.
    /// </summary>
    public bool KeepLastGoodOnReloadError { get; set; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        if (ReloadOnChange && FileProvider is not null and not IncludeWatchingFileProvider)
        {
            FileProvider = new IncludeWatchingFileProvider(FileProvider, this);
        }

        return new HoconConfigurationProvider(this);
    }

    /// <summary>Where includes of this file are read from, and the name the file goes by in errors.</summary>
    internal (IncludeFileSystem FileSystem, string SourceName) IncludeRoot()
    {
        var path = Path ?? string.Empty;
        var physicalPath = FileProvider?.GetFileInfo(path).PhysicalPath;
        if (physicalPath is not null)
        {
            return (new PhysicalIncludeFileSystem(), physicalPath);
        }

        return FileProvider is null
            ? (new PhysicalIncludeFileSystem(), path)
            : (new FileProviderIncludeFileSystem(FileProvider), path);
    }
}
