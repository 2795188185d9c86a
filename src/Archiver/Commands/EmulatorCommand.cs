using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Archiver.Dropbox.Emulator;
using Spectre.Console;

namespace Archiver.Commands;

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
                return UsageError.Report($"--bind '{result.GetValue(bind)}' is not an IP address, e.g. 127.0.0.1 or 0.0.0.0.");
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
                return UsageError.Report(e.Message);
            }

            var emulated = new List<EmulatedAccount>();
            foreach (var spec in result.GetValue(accounts) ?? [])
            {
                if (EmulatedAccount.Parse(spec, out var account) is { } problem)
                {
                    return UsageError.Report(problem);
                }

                emulated.Add(account!);
            }

            // SIGTERM (docker stop, systemd) stops the emulator as Ctrl+C does.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            await using var emulator = await DropboxEmulator.StartAsync(new EmulatorOptions { Port = result.GetValue(port), BindAddress = address }, ct);
            foreach (var account in emulated)
            {
                emulator.AddAccount(account.Name, account.Token, faults with { RatePerSecond = account.RatePerSecond, Burst = account.Burst });
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
