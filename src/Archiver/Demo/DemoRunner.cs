using System.Diagnostics;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Hosting;
using Spectre.Console;

namespace Archiver.Demo;

/// <summary>
/// <c>archiver demo</c>: the whole service on one machine with no account. Starts the Dropbox emulator on a free
/// loopback port and a fresh SQLite database, connects three customers (one whose Dropbox allows far less than it is
/// configured for), enqueues generated recordings, messages and faxes, archives them with live progress, then checks
/// that the emulator holds every item exactly once.
/// </summary>
internal sealed class DemoRunner(int itemsPerCustomer, string workDirectory, IAnsiConsole console)
{
    private static readonly ItemKind[] Kinds = [ItemKind.CallRecording, ItemKind.Sms, ItemKind.Fax, ItemKind.Voicemail];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions(), cancellationToken);
        foreach (var c in DemoCustomer.All)
        {
            emulator.AddAccount(c.Id, TokenOf(c), new AccountLimits(c.DropboxLimit, c.DropboxBurst));
        }

        console.MarkupLineInterpolated($"Dropbox emulator on [blue]{emulator.BaseUri}[/]; working in [blue]{workDirectory}[/]");
        await using var host = NodeHost.BuildNode(Configuration(emulator.BaseUri), minimumLevel: LogLevel.Warning);
        var store = host.Services.GetRequiredService<IArchiveStore>();
        await store.MigrateAsync(cancellationToken);
        await EnqueueAsync(store, cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        await host.StartAsync(cancellationToken);
        var statusPage = $"{NodeHost.ApiAddress(host)}#token={host.Services.GetRequiredService<Api.ApiToken>().Reveal}";
        console.MarkupLineInterpolated($"Status page: [blue]{statusPage}[/] (while the demo runs)");
        var finishedAfter = await ShowProgressAsync(store, cancellationToken);
        await host.StopAsync(cancellationToken);

        var node = host.Services.GetRequiredService<ArchiverNode>();
        var verdicts = new List<DemoVerdict>();
        foreach (var c in DemoCustomer.All)
        {
            verdicts.Add(await DemoVerdict.CheckAsync(c, store, emulator, node, finishedAfter.GetValueOrDefault(c.Id, stopwatch.Elapsed), cancellationToken));
        }

        DemoVerdict.Render(console, verdicts, stopwatch.Elapsed);
        return verdicts.All(v => v.ExactlyOnce) ? 0 : 1;
    }

    private static string TokenOf(DemoCustomer customer) => $"sl.demo-{customer.Id}-token";

    private IConfiguration Configuration(Uri emulator) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["archiver:storage:sqlitepath"] = Path.Combine(workDirectory, "archiver.db"),
            ["archiver:security:tokenkeyfile"] = Path.Combine(workDirectory, "token.key"),
            ["archiver:content:roots:0"] = Path.Combine(workDirectory, "content"),
            ["archiver:dropbox:apibaseuri"] = emulator.ToString(),
            ["archiver:dropbox:contentbaseuri"] = emulator.ToString(),
            ["archiver:node:refreshinterval"] = "00:00:00.200",
            ["archiver:api:port"] = "0",
        })
        .Build();

    private async Task EnqueueAsync(IArchiveStore store, CancellationToken cancellationToken)
    {
        var content = Directory.CreateDirectory(Path.Combine(workDirectory, "content")).FullName;
        var start = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
        foreach (var c in DemoCustomer.All)
        {
            await store.AddCustomerAsync(new NewCustomer(new CustomerId(c.Id), c.Name, new DropboxCredentials(new Secret(TokenOf(c))),
                new CustomerTuning(c.ConfiguredRate, Burst: 10, c.Parallelism)), cancellationToken);
            var items = new List<NewItem>(itemsPerCustomer);
            for (var i = 0; i < itemsPerCustomer; i++)
            {
                var kind = Kinds[i % Kinds.Length];
                var at = start.AddMinutes(i * 7);
                var (from, to) = ($"+1555{1000 + (i % 90):D4}", $"+1555{2000 + (i % 40):D4}");
                var bytes = DemoContent.For(kind, i, from, to, at);
                var file = Path.Combine(content, $"{c.Id}-{i:D5}.bin");
                await File.WriteAllBytesAsync(file, bytes, cancellationToken);
                items.Add(new NewItem(new CustomerId(c.Id), $"{c.Id}-{i:D5}", kind, new Uri(file), new ItemMetadata(at, from, to), bytes.Length));
            }

            await store.EnqueueAsync(items, cancellationToken);
        }

        console.MarkupLineInterpolated($"Enqueued {itemsPerCustomer} items for each of {DemoCustomer.All.Count} customers.");
    }

    /// <summary>Live bars until every customer's backlog is empty; returns when each one finished.</summary>
    private async Task<Dictionary<string, TimeSpan>> ShowProgressAsync(IArchiveStore store, CancellationToken cancellationToken)
    {
        var finished = new Dictionary<string, TimeSpan>();
        var stopwatch = Stopwatch.StartNew();
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = DemoCustomer.All.ToDictionary(c => c.Id, c => context.AddTask(c.Name, maxValue: itemsPerCustomer));
                while (finished.Count < DemoCustomer.All.Count)
                {
                    foreach (var progress in await store.GetProgressAsync(null, cancellationToken))
                    {
                        var bar = bars[progress.Customer.Value];
                        bar.Value = progress.Archived + progress.Failed;
                        if (progress.Backlog == 0 && finished.TryAdd(progress.Customer.Value, stopwatch.Elapsed))
                        {
                            bar.StopTask();
                        }
                    }

                    await Task.Delay(200, cancellationToken);
                }
            });
        return finished;
    }
}
