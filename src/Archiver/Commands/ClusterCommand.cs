using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary><c>archiver cluster show</c>: the nodes sharing the database and the customers each owns.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var show = new Command("show", "List the nodes: address, up since, last heartbeat, customers owned, items/s");
        show.SetApiAction(async (result, client, ct) =>
        {
            var cluster = await client.GetAsync("/api/v1/cluster", ct);
            if (ApiCommand.PrintedJson(result, cluster))
            {
                return 0;
            }

            var self = cluster.Text("self");
            var table = new Table().AddColumns("node", "address", "up since", "last heartbeat", "alive", "customers", "items/s");
            foreach (var n in cluster.GetProperty("nodes").EnumerateArray())
            {
                var id = n.Text("nodeId");
                table.AddRow(
                    Markup.Escape(id) + (id == self ? " [grey](this)[/]" : ""),
                    n.Escaped("address"),
                    Markup.Escape(Time(n, "upSince")),
                    Markup.Escape(Time(n, "lastHeartbeat")),
                    n.GetProperty("alive").GetBoolean() ? "[green]yes[/]" : "[red]no[/]",
                    Markup.Escape(string.Join(", ", n.GetProperty("customers").EnumerateArray().Select(c => c.GetString()))),
                    (n.Double("itemsPerSecond") ?? 0).ToString("0.0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{cluster.GetProperty("leases").GetArrayLength()} customer lease(s) held.");
            return 0;
        });
        var command = new Command("cluster", "The nodes sharing this database");
        command.Subcommands.Add(show);
        return command;
    }

    private static string Time(System.Text.Json.JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == System.Text.Json.JsonValueKind.Null
            ? "–"
            : e.GetProperty(property).GetDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
