using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary>
/// <c>archiver cluster show|leave|down</c>: the Akka cluster of the nodes sharing the database, in the manner of
/// Petabridge.Cmd's <c>cluster show</c>, <c>cluster leave</c> and <c>cluster down</c>.
/// </summary>
internal static class ClusterCommand
{
    /// <summary>How many customer ids a member's row lists before it only counts them.</summary>
    private const int CustomersListed = 5;

    public static Command Create()
    {
        var command = new Command("cluster", "The Akka cluster of the nodes sharing this database: show its members and shards, make one leave, or down one");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Shards());
        command.Subcommands.Add(Act(
            "leave",
            "Make a member leave the cluster gracefully: it hands its customers over (drains), leaves, and its process exits"));
        command.Subcommands.Add(Act(
            "down",
            "Down a member: the cluster removes it at once and the others take its customers over. Meant for a node that is "
                + "dead or cut off. WARNING: downing a live node makes it shut itself down (its process exits); for a live "
                + "node prefer `cluster leave`, which hands its customers over first"));
        return command;
    }

    private static Command Show()
    {
        var show = new Command("show", "List the members: node, address, status, reachable, leader, roles, up since, customers, items/s; then nodes gone from the cluster");
        show.SetApiAction(async (result, client, ct) =>
        {
            var cluster = await client.GetAsync("/api/v1/cluster", ct);
            if (ApiCommand.PrintedJson(result, cluster))
            {
                return 0;
            }

            var self = cluster.Text("self");
            var table = new Table().AddColumns("node", "address", "status", "reachable", "leader", "roles", "up since", "customers", "items/s");
            foreach (var m in cluster.GetProperty("members").EnumerateArray())
            {
                var id = m.Text("nodeId");
                table.AddRow(
                    id.Length == 0 ? "[grey]?[/]" : Markup.Escape(id) + (id == self ? " [grey](this)[/]" : ""),
                    m.Escaped("address"),
                    Status(m.Text("status")),
                    m.GetProperty("reachable").GetBoolean() ? "[green]yes[/]" : "[red]no[/]",
                    m.GetProperty("leader").GetBoolean() ? "yes" : "",
                    Markup.Escape(string.Join(", ", m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))),
                    Markup.Escape(Time(m, "upSince")),
                    Markup.Escape(Customers(m.GetProperty("customers"))),
                    m.Double("itemsPerSecond") is { } rate ? rate.ToString("0.0", CultureInfo.InvariantCulture) : "–");
            }

            AnsiConsole.Write(table);
            var gone = cluster.GetProperty("gone");
            if (gone.GetArrayLength() > 0)
            {
                AnsiConsole.MarkupLine("Gone: in the database, but no member of the cluster (dead, or downed, and not back):");
                var goneTable = new Table().AddColumns("node", "address", "api", "last heartbeat");
                foreach (var g in gone.EnumerateArray())
                {
                    goneTable.AddRow(g.Escaped("nodeId"), g.Escaped("address"), g.Escaped("apiAddress"), Markup.Escape(Time(g, "lastHeartbeat")));
                }

                AnsiConsole.Write(goneTable);
            }

            AnsiConsole.MarkupLineInterpolated($"{cluster.GetProperty("leases").GetArrayLength()} customer lease(s) held.");
            return 0;
        });
        return show;
    }

    private static Command Shards()
    {
        var shards = new Command("shards", "List the shards of customers: which node holds each, how many of its customers run, which customers it holds");
        shards.SetApiAction(async (result, client, ct) =>
        {
            var view = await client.GetAsync("/api/v1/cluster/shards", ct);
            if (ApiCommand.PrintedJson(result, view))
            {
                return 0;
            }

            var table = new Table().AddColumns("shard", "node", "address", "running", "customers");
            foreach (var shard in view.GetProperty("shards").EnumerateArray())
            {
                table.AddRow(
                    shard.Escaped("shard"),
                    shard.Text("nodeId") is { Length: > 0 } node ? Markup.Escape(node) : "[grey]?[/]",
                    shard.Escaped("address"),
                    shard.GetProperty("running").GetInt32().ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(Customers(shard.GetProperty("customers"))));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated(
                $"{view.GetProperty("shards").GetArrayLength()} of {view.GetProperty("numberOfShards").GetInt32()} shards allocated.");
            return 0;
        });
        return shards;
    }

    private static Command Act(string action, string description)
    {
        var member = new Argument<string>("member") { Description = "The member's Akka address (akka.tcp://archiver@host:port) or its node id" };
        var command = new Command(action, description) { member };
        command.SetApiAction(async (result, client, ct) =>
        {
            var target = result.GetValue(member)!.Trim();
            var answer = await client.PostAsync(
                $"/api/v1/cluster/{action}",
                target.Contains("://", StringComparison.Ordinal) ? new { address = target } : new { node = target },
                ct);
            if (ApiCommand.PrintedJson(result, answer))
            {
                return 0;
            }

            var who = answer.Text("nodeId") is { Length: > 0 } id ? $"{id} ({answer.Text("address")})" : answer.Text("address");
            if (action == "leave")
            {
                AnsiConsole.MarkupLineInterpolated($"[green]{who}[/] is leaving the cluster: it hands its customers over, then its process exits.");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{who}[/] is downed: the others take its customers over; if it is alive, it shuts itself down.");
            }
            return 0;
        });
        return command;
    }

    private static string Status(string status) => status switch
    {
        "up" => "[green]up[/]",
        "joining" or "weakly-up" or "leaving" or "exiting" => $"[yellow]{status}[/]",
        _ => $"[red]{Markup.Escape(status)}[/]",
    };

    private static string Customers(JsonElement customers)
    {
        var ids = customers.EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        return ids.Length <= CustomersListed
            ? string.Join(", ", ids)
            : $"{ids.Length}: {string.Join(", ", ids.Take(CustomersListed))}, …";
    }

    private static string Time(JsonElement e, string property) =>
        !e.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null
            ? "–"
            : value.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
