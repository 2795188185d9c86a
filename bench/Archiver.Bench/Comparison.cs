using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Archiver.Bench;

/// <summary>
/// <c>compare REV SCENARIO [SCENARIO...] [--runs N] [--quick] [--out DIR]</c>: the bench's figures for two builds, the
/// revision REV and the working tree this bench runs from ("current"), as ratios measured in one session. Absolute
/// figures on a shared machine drift by as much as 2x from one day to the next, so a change's effect is only visible
/// against the build before it run on the same machine at the same time.
/// </summary>
/// <remarks>
/// REV is checked out in a detached worktree in a temp directory and built there with <c>dotnet build -c Release</c>;
/// the current side is the Release build this process runs from, which <c>dotnet run</c> has just built from the working
/// tree, copied aside so that a rebuild of the tree while the comparison runs cannot change it halfway. Each run is
/// <c>dotnet Archiver.Bench.dll SCENARIO... [--quick] --out TEMP</c>, a process of its own, N per build, alternating
/// ABBA (REV, current, current, REV, REV, current...) so that a drift over the session weighs on both builds alike.
/// Each run's <c>latest.md</c> table is read back (<see cref="ComparisonTables"/>). The worktree is removed at the end,
/// also after a failure or Ctrl+C, which stops whatever is running.
/// </remarks>
internal static class Comparison
{
    public const string Command = "compare";

    /// <summary>Marks the current build's label when tracked files have uncommitted changes.</summary>
    public const string DirtySuffix = "+dirty";

    private const string Usage = "Usage: dotnet run -c Release --project bench/Archiver.Bench -- compare REV SCENARIO [SCENARIO...] [--runs N] [--quick] [--out DIR]";

    /// <summary>The file that marks the repository's root, beside <c>.git</c>.</summary>
    private const string Solution = "Archiver.Akka.sln";

    /// <summary>How many of a failed process's last lines of output a failure shows.</summary>
    private const int TailLines = 40;

    /// <summary>
    /// Runs the comparison for <paramref name="args"/> (<c>compare</c> and what follows it). Returns 0, 2 for a command
    /// line, revision or repository it cannot use, 1 when a build or a run fails, 130 when interrupted.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (!Options.TryParse(args.Skip(1).ToList(), out var options, out var error))
        {
            Console.Error.WriteLine($"{error}\n{Usage}");
            return 2;
        }

        // A name this build does not know fails its runs anyway: say so now rather than after building REV. (A name only
        // REV lacks goes through, and REV's first run says so.)
        var unknown = options.Scenarios.Except(Scenarios.Names.Append("all")).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown scenario(s) for this build: {string.Join(", ", unknown)}. Choose from: {string.Join(", ", Scenarios.Names)}, all.");
            return 2;
        }

        // Both sides are Release builds: a Debug current side against a Release REV would measure the configuration.
        var configuration = typeof(Comparison).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        if (configuration != "Release")
        {
            Console.Error.WriteLine($"compare measures Release builds, and this bench is a {configuration ?? "unknown"} build: run it with -c Release.\n{Usage}");
            return 2;
        }

        if (FindRepositoryRoot() is not { } root)
        {
            Console.Error.WriteLine($"compare checks REV out of the git repository the bench runs from, and found none: no directory above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory} holds both {Solution} and .git.");
            return 2;
        }

        using var interrupted = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true; // stop the runs and remove the worktree before exiting
            interrupted.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupted.Cancel();
        });
        try
        {
            var command = $"dotnet run -c Release --project bench/Archiver.Bench -- {string.Join(' ', args)}";
            return await CompareAsync(options, root, command, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine("compare: interrupted; every run it started is stopped and REV's worktree removed.");
            return 130;
        }
        catch (InvalidOperationException e) // a git command, the build or a run failed; the message says which and why
        {
            Console.Error.WriteLine($"compare: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }

    private static async Task<int> CompareAsync(Options options, string root, string command, CancellationToken cancellationToken)
    {
        try
        {
            await RunProcessAsync("git", ["--version"], root, echoPrefix: null, cancellationToken);
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"compare needs git on the PATH, to check REV out and to label both builds: {e.Message}");
            return 2;
        }

        var resolved = await RunProcessAsync("git", ["-C", root, "rev-parse", "--verify", "--quiet", options.Revision + "^{commit}"], root, echoPrefix: null, cancellationToken);
        if (resolved is not { ExitCode: 0, Output: [var commit, ..] })
        {
            Console.Error.WriteLine($"Unknown revision '{options.Revision}': no commit by that name in {root}.");
            return 2;
        }

        var revLabel = (await GitAsync(root, cancellationToken, "rev-parse", "--short", commit))[0];
        var revSubject = (await GitAsync(root, cancellationToken, "log", "-1", "--format=%s", commit)).FirstOrDefault() ?? "";
        var dirty = (await GitAsync(root, cancellationToken, "status", "--porcelain", "--untracked-files=no")).Count > 0;
        var currentLabel = (await GitAsync(root, cancellationToken, "rev-parse", "--short", "HEAD"))[0] + (dirty ? DirtySuffix : "");
        var outDirectory = Path.GetFullPath(options.Out ?? Path.Combine(root, "bench", "results"));

        var work = Directory.CreateTempSubdirectory("archiver-compare-");
        var worktree = Path.Combine(work.FullName, "rev");
        try
        {
            var ownBuild = Path.GetDirectoryName(typeof(Comparison).Assembly.Location)!;
            var snapshot = Path.Combine(work.FullName, "current");
            CopyDirectory(ownBuild, snapshot);
            var current = new ComparedBuild("current", currentLabel, Path.Combine(snapshot, Path.GetFileName(typeof(Comparison).Assembly.Location)), root);
            Console.WriteLine($"[compare] current = {currentLabel}: this Release build ({ownBuild}), copied to {snapshot}");

            Console.WriteLine($"[compare] REV = {options.Revision} = {revLabel} ({revSubject}): checking it out in {worktree} and building it");
            await GitAsync(root, cancellationToken, "worktree", "add", "--detach", worktree, commit);
            var rev = new ComparedBuild("REV", revLabel, await BuildAsync(worktree, revLabel, cancellationToken), worktree);

            var runs = await RunAlternatelyAsync(rev, current, options, Path.Combine(work.FullName, "runs"), cancellationToken);
            var revDescription = $"`{options.Revision}` = {revLabel} ({commit}, \"{revSubject}\")";
            var markdown = ComparisonTables.Markdown(rev, revDescription, current, runs, options.Quick, command);
            ComparisonTables.Print(rev, current, runs);
            Directory.CreateDirectory(outDirectory);
            var mode = options.Quick ? "-quick" : ""; // a quick and a full comparison of the same revisions keep a file each
            var file = Path.Combine(outDirectory, $"compare-{revLabel}-{currentLabel}-{string.Join('+', options.Scenarios)}{mode}.md");
            await File.WriteAllTextAsync(file, markdown, cancellationToken);
            Console.WriteLine($"\nWrote {file}. Compare the ratios (same session, same machine), not the absolute figures.");
            return 0;
        }
        finally
        {
            await RemoveWorktreeAsync(root, worktree);
            try
            {
                work.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"compare: could not delete {work.FullName}: {e.Message}");
            }
        }
    }

    /// <summary>Builds the bench in <paramref name="tree"/> in Release and returns its assembly's path.</summary>
    private static async Task<string> BuildAsync(string tree, string label, CancellationToken cancellationToken)
    {
        // No build servers: a compiler server left behind would sit beside the measured runs.
        var build = await RunProcessAsync(Dotnet, ["build", "-c", "Release", "--disable-build-servers", Path.Combine("bench", "Archiver.Bench")], tree, $"[build {label}]", cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building {label}'s bench (dotnet build -c Release bench/Archiver.Bench in {tree}) failed with exit code {build.ExitCode}.\n{Tail(build)}");
        }

        // bin/Release/<framework>/ as a rule, but found rather than assumed, in case that revision put its output elsewhere.
        return Directory.EnumerateFiles(tree, "Archiver.Bench.dll", SearchOption.AllDirectories)
            .Where(p => File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")) && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderByDescending(p => p.Contains("Release", StringComparison.Ordinal))
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"{label}'s build succeeded but left no Archiver.Bench.dll with its runtimeconfig under {tree}.");
    }

    /// <summary>
    /// Runs <paramref name="options"/>' scenarios N times per build, alternating ABBA, and returns each run's figures.
    /// The first run that fails stops the comparison, with its output's tail.
    /// </summary>
    private static async Task<List<ComparisonRun>> RunAlternatelyAsync(ComparedBuild rev, ComparedBuild current, Options options, string runsDirectory, CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, 2 * options.Runs).Select(i => i % 4 is 0 or 3 ? rev : current).ToList();
        var runs = new List<ComparisonRun>();
        for (var i = 0; i < order.Count; i++)
        {
            var build = order[i];
            var number = runs.Count(r => r.Build == build) + 1;
            var prefix = $"[compare {build.Label} run {number}]";
            var outDirectory = Path.Combine(runsDirectory, $"{i + 1:00}-{build.Role}");
            List<string> arguments = [build.Assembly, .. options.Scenarios, .. options.Quick ? ["--quick"] : Array.Empty<string>(), "--out", outDirectory];
            Console.WriteLine($"{prefix} {i + 1} of {order.Count}: {Dotnet} {string.Join(' ', arguments)}");
            var started = Stopwatch.StartNew();
            var result = await RunProcessAsync(Dotnet, arguments, build.Root, prefix, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested(); // Ctrl+C reaches the run too: that is a cancellation, not a failure
            var latest = Path.Combine(outDirectory, "latest.md");
            var figures = File.Exists(latest) ? ComparisonTables.Parse(await File.ReadAllTextAsync(latest, cancellationToken)) : [];
            if (result.ExitCode != 0 || figures.Count == 0)
            {
                throw new InvalidOperationException(RunFailure(build, number, result, figures.Count, options.Scenarios));
            }

            runs.Add(new ComparisonRun(i + 1, build, number, started.Elapsed, figures));
        }

        return runs;
    }

    private static string RunFailure(ComparedBuild build, int number, ProcessResult result, int figures, IReadOnlyList<string> scenarios)
    {
        var what = result.ExitCode != 0 ? $"exited with code {result.ExitCode}" : "wrote no figures (no table in its latest.md, or every scenario aborted)";
        var unknown = result.All.FirstOrDefault(l => l.Contains("Unknown scenario", StringComparison.Ordinal));
        var why = unknown is null ? "" : build.Role == "REV"
            ? $" Revision {build.Label} does not have every scenario asked for ({string.Join(", ", scenarios)}); its bench says: {unknown.Trim()}"
            : $" This bench says: {unknown.Trim()}";
        return $"{build.Role} {build.Label}, run {number}, {what}{(figures > 0 ? $" ({figures} figures)" : "")}; the comparison stops here.{why}\n{Tail(result)}";
    }

    /// <summary>Removes REV's worktree and git's record of it, whatever state the comparison ended in.</summary>
    private static async Task RemoveWorktreeAsync(string root, string worktree)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // not the interrupted token: this must run after Ctrl+C
        try
        {
            if (Directory.Exists(worktree))
            {
                var removed = await RunProcessAsync("git", ["-C", root, "worktree", "remove", "--force", worktree], root, echoPrefix: null, limit.Token);
                if (removed.ExitCode != 0)
                {
                    Console.Error.WriteLine($"compare: git worktree remove --force {worktree} failed; deleting the directory and pruning instead.\n{Tail(removed)}");
                }
            }

            await RunProcessAsync("git", ["-C", root, "worktree", "prune"], root, echoPrefix: null, limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or Win32Exception)
        {
            Console.Error.WriteLine($"compare: could not remove the worktree {worktree} ({e.Message}); `git worktree prune` after deleting it cleans up.");
        }
    }

    /// <summary>Runs git in <paramref name="root"/> and returns its stdout lines; a failure throws with its output.</summary>
    private static async Task<List<string>> GitAsync(string root, CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await RunProcessAsync("git", ["-C", root, .. arguments], root, echoPrefix: null, cancellationToken);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"git {string.Join(' ', arguments)} (in {root}) failed with exit code {result.ExitCode}.\n{Tail(result)}");
    }

    /// <summary>What a process wrote to stdout, and to stdout and stderr as the lines came.</summary>
    private sealed record ProcessResult(int ExitCode, List<string> Output, List<string> All);

    /// <summary>
    /// Runs a process to its end, passing its lines through to the console after <paramref name="echoPrefix"/> (none if
    /// null). Cancellation kills it and its children, as <see cref="ChildMeasurement"/> kills its child.
    /// </summary>
    private static async Task<ProcessResult> RunProcessAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, string? echoPrefix, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var all = new List<string>();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        try
        {
            var stdout = ReadLinesAsync(process.StandardOutput, Console.Out, echoPrefix, all, cancellationToken);
            var stderr = ReadLinesAsync(process.StandardError, Console.Error, echoPrefix, all, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var output = await stdout;
            await stderr;
            return new ProcessResult(process.ExitCode, output, all);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // cancelled: no run or build goes on in the background
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Copies a stream line by line to <paramref name="echo"/> (if <paramref name="prefix"/> is set) and to <paramref name="all"/>.</summary>
    private static async Task<List<string>> ReadLinesAsync(StreamReader reader, TextWriter echo, string? prefix, List<string> all, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            lock (all)
            {
                all.Add(line);
            }

            if (prefix is not null)
            {
                await echo.WriteLineAsync($"{prefix} {line}");
            }
        }

        return lines;
    }

    private static string Tail(ProcessResult result)
    {
        lock (result.All)
        {
            return $"--- its output, last {TailLines} lines ---\n{string.Join('\n', result.All.TakeLast(TailLines))}";
        }
    }

    /// <summary>The dotnet host this bench runs on, so both builds run on the same runtime; else dotnet from the PATH.</summary>
    private static string Dotnet { get; } =
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host
        : "dotnet";

    /// <summary>The directory holding both <see cref="Solution"/> and <c>.git</c> (a directory, or a worktree's file), above the build output or the working directory.</summary>
    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var git = Path.Combine(dir.FullName, ".git");
                if (File.Exists(Path.Combine(dir.FullName, Solution)) && (Directory.Exists(git) || File.Exists(git)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The command line after <c>compare</c>.</summary>
    private sealed record Options(string Revision, IReadOnlyList<string> Scenarios, int Runs, bool Quick, string? Out)
    {
        public static bool TryParse(IReadOnlyList<string> args, out Options options, out string error)
        {
            var positional = new List<string>();
            var (runs, quick, outDirectory) = (3, false, (string?)null);
            options = new Options("", [], runs, quick, outDirectory);
            for (var i = 0; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        quick = true;
                        break;
                    case "--runs" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out runs) && runs > 0:
                        i++;
                        break;
                    case "--runs":
                        error = "--runs takes a whole number of runs per build, at least 1.";
                        return false;
                    case "--out" when i + 1 < args.Count:
                        outDirectory = args[++i];
                        break;
                    case "--out":
                        error = "--out takes a directory.";
                        return false;
                    case var option when option.StartsWith("--", StringComparison.Ordinal):
                        error = $"Unknown option {option} (compare takes --runs N, --quick and --out DIR).";
                        return false;
                    default:
                        positional.Add(args[i]);
                        break;
                }
            }

            // The scenario names go to both builds as they are, in this order: each build's bench knows which scenarios it has.
            if (positional is not [var revision, .. var scenarios] || scenarios.Count == 0)
            {
                error = "compare needs a revision and at least one scenario.";
                return false;
            }

            options = new Options(revision, scenarios, runs, quick, outDirectory);
            error = "";
            return true;
        }
    }
}
