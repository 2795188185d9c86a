using System.CommandLine;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver db migrate</c>: bring the schema up to date without starting a node.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply pending schema migrations");
        migrate.SetAction((result, ct) => StoreCommand.RunAsync(result, (_, _, _) =>
        {
            if (result.GetValue(ApiConnectionOptions.Json))
            {
                Console.Out.WriteLine("""{"schema":"up-to-date"}""");
            }
            else
            {
                AnsiConsole.MarkupLine("[green]Schema is up to date.[/]");
            }

            return Task.FromResult(0);
        }, ct));
        var command = new Command("db", "Database maintenance");
        command.Subcommands.Add(migrate);
        return command;
    }
}
