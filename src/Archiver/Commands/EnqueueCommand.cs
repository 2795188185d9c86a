using System.CommandLine;
using Archiver.Core.Items;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver enqueue</c>: one item, through the node's admin API; its content is a file under a content root or an allowed URL.</summary>
internal static class EnqueueCommand
{
    public static Command Create()
    {
        var customer = new Option<string>("--customer") { Description = "Customer id", Required = true };
        var externalId = new Option<string>("--external-id") { Description = "The producing system's id, unique per customer", Required = true };
        var kind = new Option<ItemKind>("--kind") { Description = "CallRecording, Sms, Fax or Voicemail", Required = true };
        var file = new Option<FileInfo?>("--file") { Description = "The content; must lie under a configured content root" };
        var url = new Option<string?>("--url") { Description = "Or: an http(s) URL on an allowed host" };
        var from = new Option<string?>("--from") { Description = "Calling or sending party" };
        var to = new Option<string?>("--to") { Description = "Called or receiving party" };
        var at = new Option<DateTimeOffset?>("--occurred-at") { Description = "When it happened (default: the file's last write time)" };
        var command = new Command("enqueue", "Enqueue one item for archiving") { customer, externalId, kind, file, url, from, to, at };
        command.SetApiAction(async (result, client, ct) =>
        {
            var content = result.GetValue(file);
            var link = result.GetValue(url);
            if ((content is null) == (link is null))
            {
                return UsageError.Report("give the item's content as --file or --url (one of them).");
            }

            if (content is { Exists: false })
            {
                return UsageError.Report($"--file {content.FullName} does not exist.");
            }

            if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
            {
                return UsageError.Report($"--url '{link}' is not an absolute http(s) URL, e.g. https://media.example.com/call-42.wav.");
            }

            var occurredAt = result.GetValue(at) ?? (content is not null ? new DateTimeOffset(content.LastWriteTimeUtc) : null as DateTimeOffset?);
            var enqueued = await client.PostAsync("/api/v1/items", new
            {
                customer = result.GetValue(customer),
                externalId = result.GetValue(externalId),
                kind = result.GetValue(kind),
                source = content?.FullName ?? link,
                occurredAt,
                from = result.GetValue(from),
                to = result.GetValue(to),
                size = content?.Length,
            }, ct);
            if (ApiCommand.PrintedJson(result, enqueued))
            {
                return 0;
            }

            if (enqueued.GetProperty("created").GetBoolean())
            {
                AnsiConsole.MarkupLineInterpolated($"Enqueued item [green]{enqueued.Text("itemId")}[/].");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Already enqueued[/] as item {enqueued.Text("itemId")}; nothing changed.");
            }

            return 0;
        });
        return command;
    }
}
