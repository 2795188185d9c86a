using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archiver.Bench;

/// <summary>
/// Runs one measurement in a fresh process of this program and reads its answer back. A process's memory holds what
/// every earlier scenario left in it, so a memory figure taken in the bench's own process would measure those leftovers
/// too. The child is this program started as <c>child NAME PARAMETERS...</c> (see <see cref="Scenarios.RunChildMeasurementAsync"/>);
/// it writes its answer as one JSON line after <see cref="AnswerPrefix"/> on stdout, where the node may log as well.
/// </summary>
internal static class ChildMeasurement
{
    public const string Command = "child";

    private const string AnswerPrefix = "ANSWER ";

    /// <summary>How many of the child's last lines of stdout and of stderr a failure shows.</summary>
    private const int TailLines = 40;

    /// <summary>A figure may be NaN (nothing measured), which plain JSON numbers cannot carry.</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// Starts the child for <paramref name="measurement"/>, passes its output through to this process's console and
    /// returns its answer. Cancellation kills the child; a child that fails or gives no answer throws, with the tail
    /// of what it wrote, so a broken run never reports zeros.
    /// </summary>
    public static async Task<T> RunAsync<T>(string measurement, IEnumerable<string> parameters, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot tell which executable it runs as, so it cannot start a child of itself.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ChildMeasurement).Assembly.Location); // run as `dotnet Archiver.Bench.dll`
        }

        info.ArgumentList.Add(Command);
        info.ArgumentList.Add(measurement);
        foreach (var parameter in parameters)
        {
            info.ArgumentList.Add(parameter);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException($"The {measurement} measurement's process did not start.");
        try
        {
            var stdout = ReadLinesAsync(child.StandardOutput, Console.Out, cancellationToken);
            var stderr = ReadLinesAsync(child.StandardError, Console.Error, cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            var output = await stdout;
            var errors = await stderr;
            cancellationToken.ThrowIfCancellationRequested(); // Ctrl+C reaches the child too: that is a cancellation, not a failure
            var answer = output.LastOrDefault(l => l.StartsWith(AnswerPrefix, StringComparison.Ordinal));
            if (child.ExitCode != 0 || answer is null)
            {
                throw new InvalidOperationException(
                    $"The {measurement} measurement's process ({string.Join(' ', info.ArgumentList)}) exited with {child.ExitCode} and {(answer is null ? "no" : "an")} answer.\n" +
                    $"--- its stderr, last {TailLines} lines ---\n{string.Join('\n', errors.TakeLast(TailLines))}\n" +
                    $"--- its stdout, last {TailLines} lines ---\n{string.Join('\n', output.TakeLast(TailLines))}");
            }

            return JsonSerializer.Deserialize<T>(answer[AnswerPrefix.Length..], Json)
                ?? throw new InvalidOperationException($"The {measurement} measurement answered null: {answer}");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true); // cancelled, or this process failed: no orphan goes on measuring
                await child.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The child's side: runs the measurement and writes its answer for <see cref="RunAsync{T}"/> to read.</summary>
    public static async Task<int> AnswerAsync<T>(Task<T> measurement)
    {
        var answer = await measurement;
        Console.WriteLine(AnswerPrefix + JsonSerializer.Serialize(answer, Json));
        return 0;
    }

    /// <summary>Copies a child's stream line by line to <paramref name="echo"/> (all but its answer) and keeps every line.</summary>
    private static async Task<List<string>> ReadLinesAsync(StreamReader reader, TextWriter echo, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            if (!line.StartsWith(AnswerPrefix, StringComparison.Ordinal))
            {
                await echo.WriteLineAsync(line);
            }
        }

        return lines;
    }
}
