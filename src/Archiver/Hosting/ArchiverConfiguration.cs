using Archiver.Configuration.Hocon;

namespace Archiver.App.Hosting;

/// <summary>
/// Builds the configuration every command reads, later sources overriding earlier ones:
/// built-in defaults (the options classes), then the HOCON file, then environment variables
/// (<c>ARCHIVER__PIPELINE__RATEPERSECOND=20</c>), then <c>--set key=value</c> flags.
/// <para>Setting names may be written kebab-case (<c>rate-per-second</c>) as HOCON files do: a key's last segment
/// loses its dashes, so it binds to the <c>RatePerSecond</c> property. Durations accept <c>500ms</c>, <c>5s</c>,
/// <c>2m</c> as well as <c>00:00:05</c>.</para>
/// </summary>
internal static class ArchiverConfiguration
{
    static ArchiverConfiguration() => HoconValues.RegisterTimeSpanConverter();

    /// <summary>
    /// The configuration of one command. The file is watched: a node applies edits to its pipeline settings while it
    /// runs (see <see cref="ConfigurationReloader"/>), and a broken edit keeps the last good keys.
    /// </summary>
    public static IConfigurationRoot Build(string? configFile, IEnumerable<string> overrides, bool reloadOnChange = true)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Configuration file {path} does not exist.", path);
            }

            builder.AddHoconFile(source =>
            {
                source.Path = Path.GetFileName(path);
                source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(path)!);
                source.ReloadOnChange = reloadOnChange;
                source.KeyTransform = NormalizeKey;
                source.KeepLastGoodOnReloadError = true;
            });
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(ParseOverrides(overrides));
        return builder.Build();
    }

    /// <summary><c>archiver:pipeline:rate-per-second</c> → <c>archiver:pipeline:ratepersecond</c>; other segments (customer ids) stay as written.</summary>
    public static string NormalizeKey(string key)
    {
        if (!key.StartsWith("archiver:", StringComparison.OrdinalIgnoreCase))
        {
            return key; // the akka section is handed to the actor system as written
        }

        var lastColon = key.LastIndexOf(':');
        return key[..(lastColon + 1)] + key[(lastColon + 1)..].Replace("-", string.Empty, StringComparison.Ordinal);
    }

    private static IEnumerable<KeyValuePair<string, string?>> ParseOverrides(IEnumerable<string> overrides)
    {
        foreach (var entry in overrides)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--set '{entry}' must look like key=value, e.g. archiver.pipeline.parallelism=8.");
            }

            yield return new(NormalizeKey(entry[..equals].Trim().Replace('.', ':')), entry[(equals + 1)..].Trim());
        }
    }
}
