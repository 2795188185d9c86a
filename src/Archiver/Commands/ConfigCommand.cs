using System.CommandLine;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary><c>archiver config show</c>: the running node's effective configuration, secrets masked.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var show = new Command("show", "Print the node's effective configuration (tokens, keys and passwords masked)");
        show.SetApiAction(async (result, client, ct) =>
        {
            var config = await client.GetAsync("/api/v1/config", ct);
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
        });
        var command = new Command("config", "The node's configuration");
        command.Subcommands.Add(show);
        return command;
    }
}
