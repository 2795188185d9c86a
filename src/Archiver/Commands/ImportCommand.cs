using System.CommandLine;
using System.Text;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary>
/// <c>archiver import &lt;file.jsonl&gt;</c>: sends a JSON-lines file to the node in bulk requests, with a progress bar,
/// and lists every refused line by its line number in the file.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "One JSON item per line: customer, externalId, kind, source, occurredAt[, from, to, size]" };
        var customer = new Option<string?>("--customer") { Description = "Customer of lines that name none" };
        var batch = new Option<int>("--batch-size") { Description = "Lines per request", DefaultValueFactory = _ => 1000 };
        var command = new Command("import", "Enqueue every item of a JSON-lines file") { file, customer, batch };
        command.SetApiAction(async (result, client, ct) =>
        {
            var input = result.GetValue(file)!;
            var size = result.GetValue(batch);
            if (!input.Exists)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{input.FullName} does not exist.[/]");
                return 2;
            }

            if (size is < 1 or > 100_000)
            {
                AnsiConsole.MarkupLine("[red]--batch-size must be between 1 and 100000.[/]");
                return 2;
            }

            var path = "/api/v1/items/bulk" + (result.GetValue(customer) is { } c ? $"?customer={Uri.EscapeDataString(c)}" : "");
            var totals = new ImportTotals();
            var json = result.GetValue(ApiConnectionOptions.Json);
            async Task RunAsync(Action<long> advanced)
            {
                using var reader = input.OpenText();
                var lines = new StringBuilder();
                var (inBatch, firstLine, lineNumber) = (0, 1, 0);
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    lineNumber++;
                    lines.Append(line).Append('\n');
                    if (++inBatch == size)
                    {
                        await SendAsync(client, path, lines.ToString(), firstLine, totals, ct);
                        advanced(reader.BaseStream.Position);
                        (lines, inBatch, firstLine) = (new StringBuilder(), 0, lineNumber + 1);
                    }
                }

                if (inBatch > 0)
                {
                    await SendAsync(client, path, lines.ToString(), firstLine, totals, ct);
                }

                advanced(input.Length);
            }

            if (json)
            {
                await RunAsync(_ => { });
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(totals, Api.ApiJson.Options));
                return totals.Refused.Count == 0 ? 0 : 3;
            }

            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(input.Name), maxValue: Math.Max(1, input.Length));
                    await RunAsync(position => task.Value = position);
                });
            AnsiConsole.MarkupLineInterpolated($"{totals.Created:N0} item(s) enqueued, {totals.Duplicates:N0} already there, {totals.Refused.Count:N0} line(s) refused.");
            foreach (var refused in totals.Refused.Take(100))
            {
                Console.Out.WriteLine($"  line {refused.Line}: {refused.Reason}"); // unwrapped: one refused line per output line
            }

            if (totals.Refused.Count > 100)
            {
                AnsiConsole.MarkupLineInterpolated($"  … and {totals.Refused.Count - 100:N0} more (--json lists them all).");
            }

            return totals.Refused.Count == 0 ? 0 : 3;
        });
        return command;
    }

    private static async Task SendAsync(AdminClient client, string path, string lines, int firstLine, ImportTotals totals, CancellationToken ct)
    {
        var answer = await client.PostLinesAsync(path, lines, ct);
        totals.Created += answer.Long("created");
        totals.Duplicates += answer.Long("duplicates");
        foreach (var refused in answer.GetProperty("refused").EnumerateArray())
        {
            totals.Refused.Add(new Api.RefusedLine(firstLine - 1 + (int)refused.Long("line"), refused.Text("reason")));
        }
    }

    /// <summary>What a whole import did.</summary>
    private sealed class ImportTotals
    {
        public long Created { get; set; }

        public long Duplicates { get; set; }

        public List<Api.RefusedLine> Refused { get; } = [];
    }
}
