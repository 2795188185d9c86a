using System.CommandLine;
using System.Text.Json;
using Archiver.Core.Customers;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver customers add|list|show|update</c>, through the node's admin API.</summary>
internal static class CustomersCommand
{
    public static Command Create()
    {
        var command = new Command("customers", "Connect, list, show and change customers");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Update());
        return command;
    }

    private static Command Add()
    {
        var id = new Argument<string>("id") { Description = "Customer id: lowercase letters, digits, '-' or '_'" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        var token = new Option<string?>("--access-token") { Description = "The customer's Dropbox access token" };
        var refreshToken = new Option<string?>("--refresh-token") { Description = "An offline refresh token (needs archiver.dropbox.app-key)" };
        var tuning = new TuningOptions();
        var command = new Command("add", "Connect a customer's Dropbox") { id, name, token, refreshToken };
        tuning.AddTo(command);
        command.SetApiAction(async (result, client, ct) =>
        {
            var created = await client.PostAsync("/api/v1/customers", new
            {
                id = result.GetValue(id),
                name = result.GetValue(name),
                accessToken = result.GetValue(token),
                refreshToken = result.GetValue(refreshToken),
                ratePerSecond = result.GetValue(tuning.Rate),
                burst = result.GetValue(tuning.Burst),
                parallelism = result.GetValue(tuning.Parallelism),
                pathTemplate = result.GetValue(tuning.PathTemplate),
                conflictPolicy = result.GetValue(tuning.ConflictPolicy),
            }, ct);
            if (!ApiCommand.PrintedJson(result, created))
            {
                AnsiConsole.MarkupLineInterpolated($"Customer [green]{created.Text("id")}[/] added.");
            }

            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List customers with their progress");
        command.SetApiAction(async (result, client, ct) =>
        {
            var customers = await client.GetAsync("/api/v1/customers", ct);
            if (ApiCommand.PrintedJson(result, customers))
            {
                return 0;
            }

            var table = new Table().AddColumns("id", "name", "state", "pending", "in flight", "archived", "failed");
            foreach (var customer in customers.EnumerateArray())
            {
                var p = customer.GetProperty("progress");
                table.AddRow(customer.Escaped("id"), customer.Escaped("name"), customer.Escaped("state"),
                    p.Long("pending").ToString("N0"), p.Long("inFlight").ToString("N0"), p.Long("archived").ToString("N0"), p.Long("failed").ToString("N0"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Customer id" };
        var command = new Command("show", "Show one customer: settings, state, the node serving it and progress (never its tokens)") { id };
        command.SetApiAction(async (result, client, ct) =>
        {
            var customer = await client.GetAsync($"/api/v1/customers/{Uri.EscapeDataString(result.GetValue(id)!)}", ct);
            if (!ApiCommand.PrintedJson(result, customer))
            {
                Print(customer);
            }

            return 0;
        });
        return command;
    }

    private static Command Update()
    {
        var id = new Argument<string>("id") { Description = "Customer id" };
        var name = new Option<string?>("--name") { Description = "New display name" };
        var token = new Option<string?>("--access-token") { Description = "A new Dropbox access token (replaces both tokens)" };
        var refreshToken = new Option<string?>("--refresh-token") { Description = "A new offline refresh token (replaces both tokens)" };
        var tuning = new TuningOptions();
        var command = new Command("update", "Change a customer's name, tokens or tuning; what is not given stays") { id, name, token, refreshToken };
        tuning.AddTo(command);
        command.SetApiAction(async (result, client, ct) =>
        {
            var updated = await client.PatchAsync($"/api/v1/customers/{Uri.EscapeDataString(result.GetValue(id)!)}", new
            {
                name = result.GetValue(name),
                accessToken = result.GetValue(token),
                refreshToken = result.GetValue(refreshToken),
                ratePerSecond = result.GetValue(tuning.Rate),
                burst = result.GetValue(tuning.Burst),
                parallelism = result.GetValue(tuning.Parallelism),
                pathTemplate = result.GetValue(tuning.PathTemplate),
                conflictPolicy = result.GetValue(tuning.ConflictPolicy),
            }, ct);
            if (!ApiCommand.PrintedJson(result, updated))
            {
                AnsiConsole.MarkupLineInterpolated($"Customer [green]{updated.Text("id")}[/] updated.");
                Print(updated);
            }

            return 0;
        });
        return command;
    }

    private static void Print(JsonElement customer)
    {
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => grid.AddRow(new Text(label), new Text(value));
        Row("id", customer.Text("id"));
        Row("name", customer.Text("name"));
        Row("state", customer.Text("state") + (customer.Text("stateReason") is { Length: > 0 } reason ? $" ({reason})" : ""));
        Row("served by", Or(customer.Text("servedBy"), "none"));
        Row("access token", customer.GetProperty("hasAccessToken").GetBoolean() ? "set" : "not set");
        Row("refresh token", customer.GetProperty("hasRefreshToken").GetBoolean() ? "set" : "not set");
        Row("rate", Or(customer.Text("ratePerSecond"), "configured default") + " calls/s");
        Row("burst", Or(customer.Text("burst"), "configured default"));
        Row("parallelism", Or(customer.Text("parallelism"), "configured default"));
        Row("path template", Or(customer.Text("pathTemplate"), "configured default"));
        Row("conflicts", Or(customer.Text("conflictPolicy"), "configured default"));
        if (customer.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            Row("progress", $"{p.Long("archived"):N0} archived, {p.Long("pending"):N0} pending, {p.Long("inFlight"):N0} in flight, {p.Long("failed"):N0} failed");
        }

        AnsiConsole.Write(grid);
    }

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;

    /// <summary>The per-customer settings <c>add</c> and <c>update</c> take.</summary>
    private sealed class TuningOptions
    {
        public Option<double?> Rate { get; } = new("--rate") { Description = "Dropbox calls per second for this customer (default: configured)" };

        public Option<int?> Burst { get; } = new("--burst") { Description = "Calls Dropbox tolerates at once; half of them may go out at once (default: configured)" };

        public Option<int?> Parallelism { get; } = new("--parallelism") { Description = "Uploads in flight at once (default: configured)" };

        public Option<string?> PathTemplate { get; } = new("--path-template") { Description = "Where files land in Dropbox (default: configured)" };

        public Option<ConflictPolicy?> ConflictPolicy { get; } = new("--on-conflict") { Description = "Fail or Autorename when different content is already at the path" };

        public void AddTo(Command command)
        {
            command.Options.Add(Rate);
            command.Options.Add(Burst);
            command.Options.Add(Parallelism);
            command.Options.Add(PathTemplate);
            command.Options.Add(ConflictPolicy);
        }
    }
}
