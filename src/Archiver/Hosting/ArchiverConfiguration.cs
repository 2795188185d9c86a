using Archiver.Configuration.Hocon;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

/// <summary>
/// Builds the configuration every command reads, later sources overriding earlier ones:
/// built-in defaults (the options classes), then the HOCON file, then environment variables
/// (<c>ARCHIVER__PIPELINE__RATEPERSECOND=20</c>), then <c>--set key=value</c> flags.
/// <para>Setting names may be written kebab-case (<c>rate-per-second</c>) as HOCON files do: every segment that
/// names a property loses its dashes, so it binds to the <c>RatePerSecond</c> property, while customer ids and list
/// indexes stay as written (<see cref="SettingsSchema"/>). Durations accept <c>500ms</c>, <c>5s</c>, <c>2m</c> as well
/// as <c>00:00:05</c>.</para>
/// <para>Keys under <c>archiver</c> from the file and from <c>--set</c> must name a setting and hold a value it can
/// take; anything else is refused with the key, where it was written and the nearest known key. Environment variables
/// are not checked that way: other programs' variables may share the prefix.</para>
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

        var settings = ParseOverrides(overrides).ToList();
        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)));
        var configuration = builder.Build();

        var problems = FileProblems(configuration)
            .Concat(settings.Select(setting => SettingsSchema.Archiver.Problem(setting.Key, setting.Written, setting.Value, "--set")).OfType<string>())
            .ToList();
        if (problems.Count > 0)
        {
            (configuration as IDisposable)?.Dispose(); // stops watching the file
            throw new OptionsValidationException("archiver", typeof(SettingsSchema), problems);
        }

        return configuration;
    }

    /// <summary>
    /// <c>archiver:content:allowed-hosts:0</c> → <c>archiver:content:allowedhosts:0</c>; customer ids stay as written, and
    /// so does every key outside <c>archiver</c> (the <c>akka</c> section is handed to the actor system as written).
    /// </summary>
    public static string NormalizeKey(string key) =>
        key.StartsWith("archiver:", StringComparison.OrdinalIgnoreCase) ? SettingsSchema.Archiver.Normalize(key) : key;

    /// <summary>Every key of the configuration's HOCON files that names no setting or holds a value its setting cannot take.</summary>
    public static IEnumerable<string> FileProblems(IConfiguration configuration) =>
        HoconProviders(configuration).SelectMany(provider => provider.Origins
            .OrderBy(origin => origin.Value.SourceName, StringComparer.Ordinal).ThenBy(origin => origin.Value.Line)
            .Select(origin => provider.TryGet(origin.Key, out var value)
                ? SettingsSchema.Archiver.Problem(origin.Key, origin.Value.Key, value, origin.Value.ToString())
                : null)
            .OfType<string>());

    /// <summary>The HOCON files among the configuration's sources, also inside configurations chained into it.</summary>
    public static IEnumerable<HoconConfigurationProvider> HoconProviders(IConfiguration configuration) =>
        configuration is not IConfigurationRoot root
            ? []
            : root.Providers.SelectMany(provider => provider switch
            {
                HoconConfigurationProvider hocon => [hocon],
                ChainedConfigurationProvider chained => HoconProviders(chained.Configuration),
                _ => [],
            });

    private static IEnumerable<(string Key, string Written, string Value)> ParseOverrides(IEnumerable<string> overrides)
    {
        foreach (var entry in overrides)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--set '{entry}' must look like key=value, e.g. archiver.pipeline.parallelism=8.");
            }

            var written = entry[..equals].Trim().Replace('.', ':');
            yield return (NormalizeKey(written), written, entry[(equals + 1)..].Trim());
        }
    }
}
