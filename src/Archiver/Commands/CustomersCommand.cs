using System.CommandLine;
using Archiver.Customers;
using Archiver.Storage;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary><c>archiver customers add|list</c>.</summary>
internal static class CustomersCommand
{
    public static Command Create()
    {
        var command = new Command("customers", "Connect customers and list them");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Add()
    {
        var id = new Argument<string>("id") { Description = "Customer id: lowercase letters, digits, '-' or '_'" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        var token = new Option<string?>("--access-token") { Description = "The customer's Dropbox access token" };
        var refreshToken = new Option<string?>("--refresh-token") { Description = "An offline refresh token (needs archiver.dropbox.app-key)" };
        var rate = new Option<double?>("--rate") { Description = "Dropbox calls per second for this customer (default: configured)" };
        var burst = new Option<int?>("--burst") { Description = "Calls that may go out at once (default: configured)" };
        var parallelism = new Option<int?>("--parallelism") { Description = "Uploads in flight at once (default: configured)" };
        var template = new Option<string?>("--path-template") { Description = "Where files land in Dropbox (default: configured)" };
        var command = new Command("add", "Connect a customer's Dropbox") { id, name, token, refreshToken, rate, burst, parallelism, template };
        command.SetAction((result, ct) => StoreCommand.RunAsync(result, async (_, store, ct) =>
        {
            var idValue = result.GetValue(id)!;
            if (!CustomerId.IsValid(idValue))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]'{idValue}' is not a valid customer id[/]: use 1-64 lowercase letters, digits, '-' or '_'.");
                return 2;
            }

            var (access, refresh) = (result.GetValue(token), result.GetValue(refreshToken));
            if (string.IsNullOrWhiteSpace(access) && string.IsNullOrWhiteSpace(refresh))
            {
                AnsiConsole.MarkupLine("[red]Give the customer's Dropbox --access-token or --refresh-token.[/]");
                return 2;
            }

            if (result.GetValue(template) is { } t)
            {
                try
                {
                    Paths.PathTemplate.Parse(t);
                }
                catch (FormatException ex)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                    return 2;
                }
            }

            var tuning = new CustomerTuning(result.GetValue(rate), result.GetValue(burst), result.GetValue(parallelism), result.GetValue(template));
            try
            {
                var customer = await store.AddCustomerAsync(
                    new NewCustomer(new CustomerId(idValue), result.GetValue(name) ?? idValue, new DropboxCredentials(SecretOf(access), SecretOf(refresh)), tuning), ct);
                AnsiConsole.MarkupLineInterpolated($"Customer [green]{customer.Id}[/] added.");
                return 0;
            }
            catch (DuplicateCustomerException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return 2;
            }
        }, ct));
        return command;
    }

    private static Secret? SecretOf(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Secret(value);

    private static Command List()
    {
        var command = new Command("list", "List customers with their progress");
        command.SetAction((result, ct) => StoreCommand.RunAsync(result, async (_, store, ct) =>
        {
            var customers = await store.ListCustomersAsync(ct);
            var progress = (await store.GetProgressAsync(null, ct)).ToDictionary(p => p.Customer);
            var table = new Table().AddColumns("id", "name", "state", "pending", "in flight", "archived", "failed");
            foreach (var customer in customers)
            {
                var p = progress.GetValueOrDefault(customer.Id) ?? new CustomerProgress(customer.Id, 0, 0, 0, 0);
                table.AddRow(customer.Id.Value, Markup.Escape(customer.Name), customer.State.ToString(),
                    p.Pending.ToString("N0"), p.InFlight.ToString("N0"), p.Archived.ToString("N0"), p.Failed.ToString("N0"));
            }

            AnsiConsole.Write(table);
            return 0;
        }, ct));
        return command;
    }
}
