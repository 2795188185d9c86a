using System.CommandLine;

namespace Archiver.Commands;

/// <summary>Options every command understands.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "Configuration file (default: none; built-in defaults apply)",
        Recursive = true,
    };

    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override one setting, e.g. --set archiver.pipeline.parallelism=8 (repeatable)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static IConfigurationRoot Configuration(ParseResult result) =>
        Hosting.ArchiverConfiguration.Build(result.GetValue(Config), result.GetValue(Set) ?? []);
}
