using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Archiver.Core.Pipeline;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Archiver.Commands;

/// <summary>
/// <c>archiver status [--watch] [--url]</c>: every customer's state, progress, rate and 429s, and what holds it below its
/// limit (with the figure that shows it), from the node's API.
/// </summary>
internal static class StatusCommand
{
    private const int BarWidth = 20;

    public static Command Create()
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep the table on screen, refreshed every second, until Ctrl+C" };
        var url = new Option<bool>("--url") { Description = "Print the status page's address (with the token in its fragment) and exit" };
        var command = new Command("status", "Show every customer's state, progress, rate and 429s") { watch, url };
        command.SetApiAction(async (result, client, ct) =>
        {
            if (result.GetValue(url))
            {
                Console.Out.WriteLine(client.Token is null ? client.Address.ToString() : $"{client.Address}#token={Uri.EscapeDataString(client.Token)}");
                return 0;
            }

            var status = await client.GetAsync("/api/v1/status", ct);
            if (ApiCommand.PrintedJson(result, status))
            {
                return 0;
            }

            if (!result.GetValue(watch))
            {
                AnsiConsole.Write(Render(status));
                return 0;
            }

            try
            {
                await AnsiConsole.Live(Render(status)).StartAsync(async live =>
                {
                    while (!ct.IsCancellationRequested)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), ct);
                        live.UpdateTarget(Render(await client.GetAsync("/api/v1/status", ct)));
                    }
                });
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            return 0;
        });
        return command;
    }

    internal static IRenderable Render(JsonElement status)
    {
        var node = status.GetProperty("node");
        var table = new Table()
            .Title($"node {Markup.Escape(node.Text("nodeId"))} · {Markup.Escape(node.Text("address"))}")
            .AddColumns("customer", "state", "progress", "archived", "backlog", "failed", "items/s", "rate/limit", "429s/min", "limited by");
        foreach (var c in status.GetProperty("customers").EnumerateArray())
        {
            var (archived, backlog, failed) = (c.Long("archived"), c.Long("backlog"), c.Long("failed"));
            var total = archived + backlog + failed;
            var filled = total == 0 ? 0 : (int)Math.Round(BarWidth * (double)(archived + failed) / total);
            var state = c.Text("state");
            var limit = c.Double("rateLimit") ?? 0;
            var current = c.Double("currentRate");
            var limited = current is { } r && r < limit * 0.99;
            table.AddRow(
                new Markup(c.Escaped("id")),
                new Markup(state == "Active" ? $"[green]{state}[/]" : $"[yellow]{Markup.Escape(state)}[/]"),
                new Markup($"[blue]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {(total == 0 ? 0 : 100.0 * (archived + failed) / total),3:0}%"),
                new Text(archived.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(backlog.ToString("N0", CultureInfo.InvariantCulture)),
                new Markup(failed > 0 ? $"[red]{failed:N0}[/]" : "0"),
                new Text((c.Double("itemsPerSecond") ?? 0).ToString("0.0", CultureInfo.InvariantCulture)),
                new Markup($"{(limited ? "[yellow]" : "")}{(current is { } cr ? cr.ToString("0.#", CultureInfo.InvariantCulture) : "–")}{(limited ? "[/]" : "")} / {limit.ToString("0.#", CultureInfo.InvariantCulture)}"),
                new Markup(c.Long("rateLimitedLastMinute") > 0 ? $"[yellow]{c.Long("rateLimitedLastMinute")}[/]" : "0"),
                new Markup(LimitedByMarkup(c)));
        }

        var caption = new List<string>();
        if (status.TryGetProperty("retention", out var retention) && retention.ValueKind == JsonValueKind.Object)
        {
            caption.Add(RetentionText(retention));
        }

        if (status.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array)
        {
            caption.AddRange(alerts.EnumerateArray().Select(AlertsText));
        }

        if (caption.Count > 0)
        {
            table.Caption(Markup.Escape(string.Join('\n', caption)));
        }

        return table;
    }

    /// <summary>
    /// One webhook's deliveries as the answering node saw them, in a line: its masked URL, its last delivery, and its
    /// last failure with how many in a row. Only the cluster's leader delivers, so another node shows none.
    /// </summary>
    internal static string AlertsText(JsonElement webhook)
    {
        var delivered = webhook.Text("lastSuccessAt");
        var failed = webhook.Text("lastFailureAt");
        var inARow = webhook.Long("failuresInARow");
        var line = $"alerts to {webhook.Text("webhook")}: {(delivered.Length > 0 ? $"last delivered {delivered}" : "none delivered from this node")}";
        if (failed.Length > 0)
        {
            line += $"; last failure {failed}: {webhook.Text("lastFailure")}";
        }

        return inARow > 0 ? line + " (" + inARow.ToString(CultureInfo.InvariantCulture) + " in a row)" : line;
    }

    /// <summary>The node's last retention run, in a line: when, what it removed, how long it took, and its error.</summary>
    internal static string RetentionText(JsonElement retention)
    {
        var error = retention.Text("error");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"retention {retention.Text("startedAt")}: removed {retention.Long("archivedItems"):N0} archived item(s), {retention.Long("events"):N0} event(s), "
            + $"{retention.Long("failureEvents"):N0} failure event(s) in {retention.Double("durationSeconds") ?? 0:0.###} s{(error.Length > 0 ? $"; stopped early: {error}" : "")}");
    }

    /// <summary>
    /// Why the customer goes at its pace, in the words of <see cref="LimitedByNames.Describe"/>, with the figure that names
    /// the knob: the slots its rate needs against its parallelism, the share of upload time spent waiting for the node's
    /// budget. Empty when it does not run on the answering node.
    /// </summary>
    internal static string LimitedByText(JsonElement customer)
    {
        if (LimitedByNames.FromWire(customer.Text("limitedBy")) is not { } bound)
        {
            return customer.Text("limitedBy"); // a newer node's reason, as it is spelt
        }

        var load = customer.TryGetProperty("load", out var l) && l.ValueKind == JsonValueKind.Object ? l : (JsonElement?)null;
        return (bound, load) switch
        {
            (LimitedBy.Parallelism, { } figures) when figures.Double("slotsNeeded") is { } needed =>
                $"{bound.Describe()}: needs {Number(needed)} slots, has {figures.Long("parallelism")}",
            (LimitedBy.Parallelism, { } figures) => $"{bound.Describe()}: all {figures.Long("parallelism")} slots busy",
            (LimitedBy.NodeUploadBudget, { } figures) =>
                $"{bound.Describe()}: {(figures.Double("budgetWaitShare") ?? 0) * 100:0}% of upload time waiting",
            _ => bound.Describe(),
        };
    }

    private static string LimitedByMarkup(JsonElement customer)
    {
        var text = Markup.Escape(LimitedByText(customer));
        return LimitedByNames.FromWire(customer.Text("limitedBy")) switch
        {
            LimitedBy.Dropbox or LimitedBy.Parallelism or LimitedBy.NodeUploadBudget => $"[yellow]{text}[/]",
            LimitedBy.NoWork => $"[grey]{text}[/]",
            _ => text,
        };
    }

    private static string Number(double value) => value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture);
}
