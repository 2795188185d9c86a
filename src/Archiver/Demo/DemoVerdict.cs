using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Spectre.Console;

namespace Archiver.Demo;

/// <summary>What the demo found for one customer, checked against what the emulator actually holds.</summary>
internal sealed record DemoVerdict(
    DemoCustomer Customer,
    int Archived,
    int Failed,
    int FilesInDropbox,
    long RateLimited,
    TimeSpan Elapsed,
    double AchievedRate,
    double? FinalRate,
    bool ExactlyOnce,
    string? Problem)
{
    public static async Task<DemoVerdict> CheckAsync(
        DemoCustomer customer, IArchiveStore store, DropboxEmulator emulator, ArchiverNode node, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var items = await AllItemsAsync(store, new CustomerId(customer.Id), cancellationToken);
        var files = emulator.Files(customer.Id).ToDictionary(f => f.PathDisplay, StringComparer.OrdinalIgnoreCase);
        var archived = items.Where(i => i.Status == ItemStatus.Archived).ToArray();
        var activity = node.Activity().FirstOrDefault(a => a.Customer.Value == customer.Id);
        var stats = emulator.Stats(customer.Id);

        string? problem = null;
        if (archived.Length != items.Count)
        {
            problem = $"{items.Count - archived.Length} items not archived ({items.Count(i => i.Status == ItemStatus.Failed)} failed)";
        }
        else if (files.Count != archived.Length)
        {
            problem = $"Dropbox holds {files.Count} files for {archived.Length} archived items";
        }
        else if (archived.FirstOrDefault(i => !files.TryGetValue(i.Archived!.Path, out var f) || f.ContentHash != i.Archived.ContentHash) is { } missing)
        {
            problem = $"item {missing.Item.ExternalId} is not in Dropbox as archived ({missing.Archived!.Path})";
        }

        // The rate while it archived, from its first item archived to its last: the node's start-up is not its pace.
        var span = archived.Length < 2 ? TimeSpan.Zero : archived.Max(i => i.UpdatedAt) - archived.Min(i => i.UpdatedAt);
        var achieved = span > TimeSpan.Zero ? (archived.Length - 1) / span.TotalSeconds : 0;
        return new DemoVerdict(customer, archived.Length, items.Count(i => i.Status == ItemStatus.Failed), files.Count,
            stats.RateLimited, elapsed, achieved, activity?.CurrentRate, problem is null, problem);
    }

    public static void Render(IAnsiConsole console, IReadOnlyList<DemoVerdict> verdicts, TimeSpan wall)
    {
        var table = new Table().Title("Archiver demo")
            .AddColumns("customer", "archived", "in Dropbox", "failed", "429s met", "elapsed", "achieved rate", "Dropbox allows", "configured", "exactly once");
        foreach (var v in verdicts)
        {
            table.AddRow(
                Markup.Escape(v.Customer.Name),
                v.Archived.ToString("N0"),
                v.FilesInDropbox.ToString("N0"),
                v.Failed.ToString("N0"),
                v.RateLimited.ToString("N0"),
                $"{v.Elapsed.TotalSeconds:0.0} s",
                $"{v.AchievedRate:0.0}/s",
                $"{v.Customer.DropboxLimit:0}/s",
                $"{v.Customer.ConfiguredRate:0}/s (now {v.FinalRate:0.#})",
                v.ExactlyOnce ? "[green]yes[/]" : $"[red]no: {Markup.Escape(v.Problem ?? "?")}[/]");
        }

        console.Write(table);
        var total = verdicts.Sum(v => v.Archived);
        console.MarkupLineInterpolated($"{total:N0} items in {wall.TotalSeconds:0.0} s ({total / wall.TotalSeconds:0.0} items/s overall).");
        console.MarkupLine(verdicts.All(v => v.ExactlyOnce)
            ? "[green]Every item is in Dropbox exactly once.[/]"
            : "[red]Some items are not in Dropbox exactly once; see the table.[/]");
    }

    private static async Task<List<StoredItem>> AllItemsAsync(IArchiveStore store, CustomerId customer, CancellationToken cancellationToken)
    {
        var all = new List<StoredItem>();
        long after = 0;
        while (true)
        {
            var page = await store.ListItemsAsync(new ItemQuery(customer, AfterId: after, Limit: 1000), cancellationToken);
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }

            after = page[^1].Item.Id;
        }
    }
}
