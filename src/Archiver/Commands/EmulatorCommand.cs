using System.CommandLine;
using System.Globalization;
using Archiver.Dropbox.Emulator;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary><c>archiver emulator</c>: the local Dropbox on its own, until Ctrl+C.</summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port (0: a free one)", DefaultValueFactory = _ => 8787 };
        var accounts = new Option<string[]>("--account")
        {
            Description = "An account as name:token[:rate[:burst]], e.g. acme:sl.acme:20:5 (repeatable; more can be added over HTTP)",
            DefaultValueFactory = _ => [],
        };
        var command = new Command("emulator", "Run the Dropbox emulator on 127.0.0.1") { port, accounts };
        command.SetAction(async (result, ct) =>
        {
            await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions { Port = result.GetValue(port) }, ct);
            foreach (var spec in result.GetValue(accounts) ?? [])
            {
                var parts = spec.Split(':');
                if (parts.Length is < 2 or > 4)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]--account '{spec}' must look like name:token[:rate[:burst]].[/]");
                    return 2;
                }

                var rate = parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) : 0;
                var burst = parts.Length > 3 ? int.Parse(parts[3], CultureInfo.InvariantCulture) : 1;
                emulator.AddAccount(parts[0], parts[1], new AccountLimits(rate, burst));
            }

            AnsiConsole.MarkupLineInterpolated($"Dropbox emulator listening on [blue]{emulator.BaseUri}[/]. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
