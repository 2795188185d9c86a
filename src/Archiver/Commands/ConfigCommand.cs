using System.CommandLine;
using System.Text.Json;
using Archiver.Api;
using Archiver.Core.Pipeline;
using Archiver.Hosting;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary>
/// <c>archiver config show</c>: the effective configuration, secrets masked — the running node's, or with
/// <c>--local</c> (and whenever no node answers) what a node started with the same files, environment and <c>--set</c>
/// would run with.
/// </summary>
internal static class ConfigCommand
{
    private static readonly Option<bool> Local = new("--local")
    {
        Description = "Do not ask a node: show what the configuration files, environment and --set amount to",
    };

    public static Command Create()
    {
        var show = new Command("show", "Print the effective configuration (tokens, keys and passwords masked)") { Local };
        show.SetAction(async (result, ct) =>
        {
            if (result.GetValue(Local))
            {
                return Print(result, LocalConfiguration(result));
            }

            using var client = AdminClient.For(result);
            try
            {
                return Print(result, await client.GetAsync("/api/v1/config", ct));
            }
            catch (ApiProblemException unreachable) when (unreachable.InnerException is HttpRequestException)
            {
                Console.Error.WriteLine($"archiver: no node answers at {client.Address}; showing the local configuration (--local)");
                return Print(result, LocalConfiguration(result));
            }
            catch (ApiProblemException ex)
            {
                Console.Error.WriteLine($"archiver: {ex.Message}");
                return 1;
            }
        });
        var command = new Command("config", "The node's configuration");
        command.Subcommands.Add(show);
        return command;
    }

    /// <summary>The settings a node would start with, validated as a node validates them (a broken setting exits 2).</summary>
    private static JsonElement LocalConfiguration(ParseResult result)
    {
        var configuration = CommonOptions.Configuration(result);
        using var host = NodeHost.Build(configuration, minimumLevel: LogLevel.Warning);
        var effective = EffectiveConfiguration.Of(host.Services, configuration, host.Services.GetRequiredService<PipelineConfiguration>());
        return JsonSerializer.SerializeToElement(effective);
    }

    private static int Print(ParseResult result, JsonElement config)
    {
        if (ApiCommand.PrintedJson(result, config))
        {
            return 0;
        }

        var table = new Table().AddColumns("setting", "value");
        foreach (var setting in config.EnumerateObject())
        {
            table.AddRow(Markup.Escape(setting.Name), Markup.Escape(setting.Value.ToString()));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
