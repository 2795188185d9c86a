using System.CommandLine;
using Archiver.Demo;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver demo</c>: archive generated items for three customers into the bundled emulator.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Items per customer", DefaultValueFactory = _ => 200 };
        var keep = new Option<bool>("--keep") { Description = "Keep the working directory (database and content) afterwards" };
        var command = new Command("demo", "Run the whole service against the bundled Dropbox emulator; exits 0 when every item is archived exactly once")
        {
            items, keep,
        };
        command.SetAction(async (result, ct) =>
        {
            var count = result.GetValue(items);
            if (count is < 1 or > 100_000)
            {
                AnsiConsole.MarkupLine("[red]--items must be between 1 and 100000.[/]");
                return 2;
            }

            var work = Directory.CreateTempSubdirectory("archiver-demo-").FullName;
            try
            {
                return await new DemoRunner(count, work, AnsiConsole.Console).RunAsync(ct);
            }
            finally
            {
                if (!result.GetValue(keep))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        });
        return command;
    }
}
