using System.CommandLine;
using System.Text.Json;
using Archiver.Core.Alerts;
using Archiver.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver alerts test</c>: sends a sample alert, signed, to each configured webhook and says how each answered.</summary>
internal static class AlertsCommand
{
    public static Command Create()
    {
        var test = new Command("test", "Send a sample alert to each configured webhook and print how it answered");
        test.SetAction((result, ct) => TestAsync(result, ct));
        var command = new Command("alerts", "Alert webhooks");
        command.Subcommands.Add(test);
        return command;
    }

    private static async Task<int> TestAsync(ParseResult result, CancellationToken cancellationToken)
    {
        using var host = NodeHost.Build(CommonOptions.Configuration(result), minimumLevel: LogLevel.Warning); // validates every webhook
        var options = host.Services.GetRequiredService<IOptions<AlertOptions>>().Value;
        var time = host.Services.GetRequiredService<TimeProvider>();
        var json = result.GetValue(ApiConnectionOptions.Json);
        if (options.Webhooks.Count == 0)
        {
            await Console.Error.WriteLineAsync("archiver: no webhooks configured (archiver.alerts.webhooks).");
            return 1;
        }

        using var http = AlertHttp.Client(options);
        var sender = new WebhookSender(http, time);
        var outcomes = new List<(string Webhook, DeliveryOutcome Outcome)>();
        foreach (var webhook in options.ToWebhooks())
        {
            var now = time.GetUtcNow();
            var sample = new AlertBody($"test-{now.ToUnixTimeMilliseconds()}", AlertKinds.Test, null, 1, now, "A test alert from `archiver alerts test`.", Environment.MachineName);
            outcomes.Add((webhook.Name, await sender.SendAsync(webhook, sample, cancellationToken)));
        }

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(
                outcomes.Select(o => new { webhook = o.Webhook, delivered = o.Outcome.Delivered, status = o.Outcome.Status, detail = o.Outcome.Detail })));
        }
        else
        {
            foreach (var (webhook, outcome) in outcomes)
            {
                AnsiConsole.MarkupLine(outcome.Delivered
                    ? $"[green]delivered[/] {Markup.Escape(webhook)}: {Markup.Escape(outcome.Detail)}"
                    : $"[red]failed[/]    {Markup.Escape(webhook)}: {Markup.Escape(outcome.Detail)}");
            }
        }

        return outcomes.All(o => o.Outcome.Delivered) ? 0 : 1;
    }
}
