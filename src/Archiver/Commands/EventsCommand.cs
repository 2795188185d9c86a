using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver events tail [--customer] [--type] [--lines N] [--follow]</c>: the node's journal.</summary>
internal static class EventsCommand
{
    private const int Page = 1000;

    public static Command Create()
    {
        var customer = new Option<string?>("--customer") { Description = "Only this customer's events" };
        var type = new Option<string?>("--type") { Description = "Only events of this type, e.g. item.failed" };
        var lines = new Option<int>("--lines", "-n") { Description = "How many of the latest events to show first", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until Ctrl+C" };
        var tail = new Command("tail", "Show the latest journal events") { customer, type, lines, follow };
        tail.SetApiAction(async (result, client, ct) =>
        {
            var filter = (result.GetValue(customer) is { } c ? $"&customer={Uri.EscapeDataString(c)}" : "")
                + (result.GetValue(type) is { } t ? $"&type={Uri.EscapeDataString(t)}" : "");
            var json = result.GetValue(ApiConnectionOptions.Json);
            var latest = new Queue<JsonElement>();
            long after = 0;
            while (true)
            {
                var page = await client.GetAsync($"/api/v1/events?after={after}&limit={Page}{filter}", ct);
                foreach (var e in page.GetProperty("events").EnumerateArray())
                {
                    latest.Enqueue(e);
                    if (latest.Count > result.GetValue(lines))
                    {
                        latest.Dequeue();
                    }
                }

                after = page.Long("next");
                if (page.GetProperty("events").GetArrayLength() < Page)
                {
                    break;
                }
            }

            foreach (var e in latest)
            {
                Print(e, json);
            }

            try
            {
                while (result.GetValue(follow) && !ct.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    var page = await client.GetAsync($"/api/v1/events?after={after}&limit={Page}{filter}", ct);
                    foreach (var e in page.GetProperty("events").EnumerateArray())
                    {
                        Print(e, json);
                    }

                    after = page.Long("next");
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            return 0;
        });
        var command = new Command("events", "The node's journal: state changes, restarts, 429s, failures");
        command.Subcommands.Add(tail);
        return command;
    }

    private static void Print(JsonElement e, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(e.GetRawText()); // one JSON object per line, so --follow output can be piped
            return;
        }

        var at = e.TryGetProperty("at", out var a) ? a.GetDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";
        AnsiConsole.MarkupLineInterpolated($"[grey]{e.Long("sequence"),6} {at}[/] [blue]{e.Text("customer"),-12}[/] {e.Text("type"),-24} {e.Text("details")}");
    }
}
