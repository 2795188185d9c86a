using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace Archiver.Configuration.Hocon;

public static class HoconConfigurationExtensions
{
    /// <summary>Adds a HOCON configuration file. A relative <paramref name="path"/> is relative to the builder's base path.</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false, bool reloadOnChange = false) =>
        builder.AddHoconFile(provider: null, path, optional, reloadOnChange);

    /// <summary>Adds a HOCON configuration file read through <paramref name="provider"/> (the builder's provider when null).</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, IFileProvider? provider, string path, bool optional, bool reloadOnChange)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.AddHoconFile(source =>
        {
            source.FileProvider = provider;
            source.Path = path;
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
            source.ResolveFileProvider();
        });
    }

    /// <summary>Adds a HOCON configuration source configured by <paramref name="configureSource"/>.</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, Action<HoconConfigurationSource>? configureSource) =>
        builder.Add(configureSource);
}
