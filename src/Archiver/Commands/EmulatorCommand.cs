using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Archiver.Dropbox.Emulator;
using Spectre.Console;

namespace Archiver.App.Commands;

/// <summary>
/// <c>archiver emulator</c>: the local Dropbox on its own, until Ctrl+C. The fault options apply to every
/// <c>--account</c>; accounts added over HTTP set their own through <c>PUT /_emulator/accounts/{name}/limits</c>.
/// </summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0: a free one)", DefaultValueFactory = _ => 8787 };
        var bind = new Option<string>("--bind")
        {
            Description = "Address to listen on; 0.0.0.0 for a container reached by others",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var accounts = new Option<string[]>("--account")
        {
            Description = "An account as name:token[:rate[:burst]], e.g. acme:sl.acme:20:5 (repeatable; more can be added over HTTP)",
            DefaultValueFactory = _ => [],
        };
        var writeTime = new Option<int>("--write-time")
        {
            Description = "Milliseconds every commit holds the account's write lock; a commit finding it held meets contention (0: never)",
        };
        var contention = new Option<string>("--contention")
        {
            Description = "How contention is answered: 429, 409 or entry (failed entries inside a batch commit)",
            DefaultValueFactory = _ => "429",
        };
        var latency = new Option<int>("--latency") { Description = "Milliseconds added to every call" };
        var latencyJitter = new Option<int>("--latency-jitter") { Description = "Up to this many further random milliseconds per call" };
        var serverErrorShare = new Option<double>("--server-error-share") { Description = "Share of calls answered 503 (0-1)" };
        var dropShare = new Option<double>("--drop-share") { Description = "Share of calls whose connection is aborted mid-body (0-1)" };
        var command = new Command("emulator", "Run the Dropbox emulator (on 127.0.0.1 unless --bind says otherwise)")
        {
            port, bind, accounts, writeTime, contention, latency, latencyJitter, serverErrorShare, dropShare,
        };
        command.SetAction(async (result, ct) =>
        {
            AccountLimits faults;
            if (!IPAddress.TryParse(result.GetValue(bind), out var address))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]--bind '{result.GetValue(bind)}' is not an IP address.[/]");
                return 2;
            }

            try
            {
                faults = new AccountLimits
                {
                    WriteTime = TimeSpan.FromMilliseconds(result.GetValue(writeTime)),
                    Contention = ParseContention(result.GetValue(contention) ?? "429"),
                    Latency = TimeSpan.FromMilliseconds(result.GetValue(latency)),
                    LatencyJitter = TimeSpan.FromMilliseconds(result.GetValue(latencyJitter)),
                    ServerErrorShare = result.GetValue(serverErrorShare),
                    DropShare = result.GetValue(dropShare),
                }.Validated();
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 2;
            }

            // SIGTERM (docker stop, systemd) stops the emulator as Ctrl+C does.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions { Port = result.GetValue(port), BindAddress = address }, ct);
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
                emulator.AddAccount(parts[0], parts[1], faults with { RatePerSecond = rate, Burst = Math.Max(1, burst) });
            }

            AnsiConsole.MarkupLineInterpolated($"Dropbox emulator listening on [blue]{emulator.BaseUri}[/]. Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    private static WriteContentionShape ParseContention(string text) => text.Trim().ToLowerInvariant() switch
    {
        "429" => WriteContentionShape.RateLimit429,
        "409" => WriteContentionShape.Conflict409,
        "entry" => WriteContentionShape.EntryFailure,
        _ => throw new ArgumentException($"--contention '{text}' must be 429, 409 or entry."),
    };
}
