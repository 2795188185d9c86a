using System.CommandLine;
using Spectre.Console;

namespace Archiver.Commands;

/// <summary><c>archiver pause|resume|retry-failed &lt;customer&gt;</c>.</summary>
internal static class CustomerStateCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return StateCommand("pause", "Stop archiving a customer's items until resumed (nothing is lost)", "paused");
        yield return StateCommand("resume", "Resume a paused or parked customer", "resumed");

        var customer = new Argument<string>("customer") { Description = "Customer id" };
        var retry = new Command("retry-failed", "Send a customer's failed items back to be archived again") { customer };
        retry.SetApiAction(async (result, client, ct) =>
        {
            var answer = await client.PostAsync($"/api/v1/customers/{Uri.EscapeDataString(result.GetValue(customer)!)}/retry-failed", null, ct);
            if (!ApiCommand.PrintedJson(result, answer))
            {
                AnsiConsole.MarkupLineInterpolated($"{answer.Long("retried"):N0} failed item(s) of [green]{answer.Text("customer")}[/] sent back to pending.");
            }

            return 0;
        });
        yield return retry;
    }

    private static Command StateCommand(string verb, string description, string done)
    {
        var customer = new Argument<string>("customer") { Description = "Customer id" };
        var command = new Command(verb, description) { customer };
        command.SetApiAction(async (result, client, ct) =>
        {
            var answer = await client.PostAsync($"/api/v1/customers/{Uri.EscapeDataString(result.GetValue(customer)!)}/{verb}", null, ct);
            if (!ApiCommand.PrintedJson(result, answer))
            {
                AnsiConsole.MarkupLineInterpolated($"Customer [green]{answer.Text("id")}[/] {done}; state {answer.Text("state")}.");
            }

            return 0;
        });
        return command;
    }
}
