using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary>
/// <c>archiver import &lt;file.jsonl&gt;</c>: streams a JSON-lines file to the node in bulk requests of at most
/// <c>--batch-size</c> lines and <c>--batch-bytes</c> bytes, with a progress bar, and lists every refused line by its
/// line number in the file — a line larger than a batch may be among them; every other line is sent and stored.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Bytes per request unless <c>--batch-bytes</c> says otherwise: well under the API's limit.</summary>
    public const int DefaultBatchBytes = 8_000_000;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "One JSON item per line: customer, externalId, kind, source, occurredAt[, from, to, size]" };
        var customer = new Option<string?>("--customer") { Description = "Customer of lines that name none" };
        var batch = new Option<int>("--batch-size") { Description = "Lines per request at most", DefaultValueFactory = _ => 1000 };
        var batchBytes = new Option<int>("--batch-bytes")
        {
            Description = $"Bytes per request at most (up to the API's {Api.RequestBodyLimit.Describe}); a longer line is refused",
            DefaultValueFactory = _ => DefaultBatchBytes,
        };
        var command = new Command("import", "Enqueue every item of a JSON-lines file") { file, customer, batch, batchBytes };
        command.SetApiAction(async (result, client, ct) =>
        {
            var input = result.GetValue(file)!;
            var size = result.GetValue(batch);
            var bytes = result.GetValue(batchBytes);
            if (!input.Exists)
            {
                return UsageError.Report($"{input.FullName} does not exist.");
            }

            if (size is < 1 or > 100_000)
            {
                return UsageError.Report($"--batch-size {size} must be between 1 and 100000 lines.");
            }

            if (bytes < 1 || bytes > Api.RequestBodyLimit.MaxBytes)
            {
                return UsageError.Report($"--batch-bytes {bytes} must be between 1 and {Api.RequestBodyLimit.MaxBytes} (the API's limit).");
            }

            var path = "/api/v1/items/bulk" + (result.GetValue(customer) is { } c ? $"?customer={Uri.EscapeDataString(c)}" : "");
            var totals = new ImportTotals();
            var json = result.GetValue(ApiConnectionOptions.Json);
            async Task RunAsync(Action<long> advanced)
            {
                await using var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                await foreach (var lines in new ImportBatches(stream, size, bytes).ReadAsync(ct))
                {
                    foreach (var line in lines.Oversize)
                    {
                        totals.Refused.Add(new Api.RefusedLine(line.Line, string.Create(CultureInfo.InvariantCulture,
                            $"{line.Bytes:N0} bytes, larger than a batch may be (--batch-bytes {bytes}); not sent.")));
                    }

                    if (lines.Body.Length > 0)
                    {
                        await SendAsync(client, path, lines.Body, lines.FirstLine, totals, ct);
                    }

                    advanced(lines.BytesRead);
                }

                totals.Refused.Sort((a, b) => a.Line.CompareTo(b.Line));
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

    private static async Task SendAsync(AdminClient client, string path, ReadOnlyMemory<byte> lines, int firstLine, ImportTotals totals, CancellationToken ct)
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
