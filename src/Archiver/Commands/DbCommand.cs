using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Archiver.Core.Retention;
using Archiver.Core.Storage;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary>
/// <c>archiver db migrate</c>: bring the schema up to date without starting a node. <c>archiver db prune [--dry-run]</c>:
/// remove the history past its retention (<c>archiver.retention</c>) now, or show what would go.
/// </summary>
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
        command.Subcommands.Add(Prune());
        return command;
    }

    private static Command Prune()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be removed with the current settings, removing nothing" };
        var prune = new Command("prune", "Remove archived items and journal entries past their retention (archiver.retention) now") { dryRun };
        prune.SetAction((result, ct) => StoreCommand.RunAsync(result, async (services, store, token) =>
        {
            var options = services.GetRequiredService<IOptions<RetentionOptions>>().Value;
            var time = services.GetRequiredService<TimeProvider>();
            var pruner = new RetentionPruner(store, options, time, services.GetRequiredService<ILoggerFactory>().CreateLogger("Archiver.Retention"));
            var json = result.GetValue(ApiConnectionOptions.Json);
            if (result.GetValue(dryRun))
            {
                var cutoffs = pruner.CutoffsAt(time.GetUtcNow());
                var counts = await pruner.DryRunAsync(token);
                Print(json, dryRun: true, counts, cutoffs, error: null);
                return 0;
            }

            var run = await pruner.RunAsync(token);
            Print(json, dryRun: false, run.Removed, pruner.CutoffsAt(run.StartedAt), run.Error);
            return run.Error is null ? 0 : 1;
        }, ct));
        return prune;
    }

    private static void Print(bool json, bool dryRun, RetentionCounts counts, RetentionCutoffs cutoffs, string? error)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                dryRun,
                archivedItems = counts.ArchivedItems,
                events = counts.Events,
                failureEvents = counts.FailureEvents,
                archivedItemsBefore = cutoffs.ArchivedItemsBefore,
                eventsBefore = cutoffs.EventsBefore,
                failureEventsBefore = cutoffs.FailureEventsBefore,
                error,
            }));
            return;
        }

        var verb = dryRun ? "Would remove" : "Removed";
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} {counts.ArchivedItems:N0} archived item(s) last updated before {cutoffs.ArchivedItemsBefore:u}"));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} {counts.Events:N0} event(s) recorded before {cutoffs.EventsBefore:u}"));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} {counts.FailureEvents:N0} failure event(s) recorded before {cutoffs.FailureEventsBefore:u}"));
        if (error is not null)
        {
            AnsiConsole.MarkupLine($"[red]Stopped early: {Markup.Escape(error)}[/]");
        }
    }
}
