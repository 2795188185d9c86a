using System.Diagnostics;
using Archiver.Bench;

// dotnet run -c Release --project bench/Archiver.Bench -- [utilisation|naive|discovery|isolation|latency|overhead|cluster|failover|scaleout|idle|backlog|all ...] [--quick] [--out DIR]
// dotnet run -c Release --project bench/Archiver.Bench -- compare REV SCENARIO [SCENARIO...] [--runs N] [--quick] [--out DIR]
if (args is [Comparison.Command, ..])
{
    // REV's build against this one, run alternately, as same-session ratios (see Comparison).
    return await Comparison.RunAsync(args);
}

if (args is [ChildMeasurement.Command, var measurement, .. var parameters])
{
    // One measurement in a process of its own, so its memory is measured free of every other scenario (see ChildMeasurement).
    return await Scenarios.RunChildMeasurementAsync(measurement, parameters);
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var outDirectory = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : FindResultsDirectory();
var chosen = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (outIndex < 0 || i != outIndex + 1)).ToList();
if (chosen.Count == 0 || chosen.Contains("all"))
{
    chosen = [.. Scenarios.Names];
}

var unknown = chosen.Except(Scenarios.Names).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Choose from: {string.Join(", ", Scenarios.Names)}, all.");
    return 2;
}

chosen = [.. Scenarios.Names.Where(chosen.Contains)]; // always in the documented order (naive compares with utilisation)
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

var mode = quick ? "quick" : "full";
Console.WriteLine($"Archiver bench ({mode}): {string.Join(", ", chosen)} on {Report.Machine()}");
var scenarios = new Scenarios(quick);
var figures = new List<Figure>();
var notes = new List<string>();
var total = Stopwatch.StartNew();
foreach (var name in chosen)
{
    // Every scenario also bounds its own waits; this is the backstop.
    using var limit = CancellationTokenSource.CreateLinkedTokenSource(interrupted.Token);
    limit.CancelAfter(TimeSpan.FromMinutes(quick ? 4 : 10));
    var started = Stopwatch.StartNew();
    try
    {
        figures.AddRange(await scenarios.RunAsync(name, limit.Token));
        notes.Add($"{name}: ran for {started.Elapsed.TotalSeconds:0} s");
    }
    catch (OperationCanceledException) when (limit.IsCancellationRequested)
    {
        notes.Add($"{name}: ABORTED after {started.Elapsed.TotalSeconds:0} s (scenario time limit or Ctrl+C); no figures");
        Console.Error.WriteLine(notes[^1]);
        if (interrupted.IsCancellationRequested)
        {
            break;
        }
    }
}

Report.PrintTable(figures);
var command = $"dotnet run -c Release --project bench/Archiver.Bench -- {string.Join(' ', args)}".TrimEnd();
Directory.CreateDirectory(outDirectory);
var label = $"{mode}-{string.Join('+', chosen)}";
var markdown = Report.Markdown(figures, mode, command, notes);
var svg = Report.Svg(figures, $"Archiver bench ({mode}, {DateTimeOffset.UtcNow:yyyy-MM-dd}): measured vs target");
foreach (var name in new[] { "latest", label })
{
    await File.WriteAllTextAsync(Path.Combine(outDirectory, name + ".md"), markdown);
    await File.WriteAllTextAsync(Path.Combine(outDirectory, name + ".svg"), svg);
}

Console.WriteLine($"\nWrote {Path.Combine(outDirectory, "latest.md")} and latest.svg (also {label}.md/.svg) in {total.Elapsed.TotalSeconds:0} s.");
return 0;

// bench/results next to this project, found from the working directory or the build output.
static string FindResultsDirectory()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "bench", "Archiver.Bench")))
            {
                return Path.Combine(dir.FullName, "bench", "results");
            }

            if (dir.Name == "bench" && Directory.Exists(Path.Combine(dir.FullName, "Archiver.Bench")))
            {
                return Path.Combine(dir.FullName, "results");
            }
        }
    }

    return Path.Combine(Directory.GetCurrentDirectory(), "bench-results");
}
