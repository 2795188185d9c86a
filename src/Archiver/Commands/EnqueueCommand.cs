using System.CommandLine;
using Archiver.App.Hosting;
using Archiver.Customers;
using Archiver.Items;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary><c>archiver enqueue</c>: one item whose content is a file under a configured content root.</summary>
internal static class EnqueueCommand
{
    public static Command Create()
    {
        var customer = new Option<string>("--customer") { Description = "Customer id", Required = true };
        var externalId = new Option<string>("--external-id") { Description = "The producing system's id, unique per customer", Required = true };
        var kind = new Option<ItemKind>("--kind") { Description = "CallRecording, Sms, Fax or Voicemail", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The content; must lie under a configured content root", Required = true };
        var from = new Option<string?>("--from") { Description = "Calling or sending party" };
        var to = new Option<string?>("--to") { Description = "Called or receiving party" };
        var at = new Option<DateTimeOffset?>("--occurred-at") { Description = "When it happened (default: the file's last write time)" };
        var command = new Command("enqueue", "Enqueue one item for archiving") { customer, externalId, kind, file, from, to, at };
        command.SetAction((result, ct) => StoreCommand.RunAsync(result, async (services, store, ct) =>
        {
            var content = result.GetValue(file)!;
            var roots = services.GetRequiredService<IOptions<ContentOptions>>().Value.EffectiveRoots.Select(Path.GetFullPath);
            if (!content.Exists)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{content.FullName} does not exist.[/]");
                return 2;
            }

            if (!roots.Any(root => content.FullName.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{content.FullName} is outside the content roots ({string.Join(", ", roots)}); see archiver:content:roots.[/]");
                return 2;
            }

            var customerId = result.GetValue(customer)!;
            if (!CustomerId.IsValid(customerId) || await store.GetCustomerAsync(new CustomerId(customerId), ct) is null)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]No customer '{customerId}'.[/]");
                return 2;
            }

            var item = new NewItem(new CustomerId(customerId), result.GetValue(externalId)!, result.GetValue(kind), new Uri(content.FullName),
                new ItemMetadata(result.GetValue(at) ?? new DateTimeOffset(content.LastWriteTimeUtc), result.GetValue(from), result.GetValue(to)), content.Length);
            var enqueued = (await store.EnqueueAsync([item], ct))[0];
            if (enqueued.Created)
            {
                AnsiConsole.MarkupLineInterpolated($"Enqueued item [green]{enqueued.ItemId}[/].");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Already enqueued[/] as item {enqueued.ItemId}; nothing changed.");
            }

            return 0;
        }, ct));
        return command;
    }
}
