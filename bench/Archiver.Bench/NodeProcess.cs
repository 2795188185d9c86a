using System.Collections.Concurrent;
using System.Diagnostics;

namespace Archiver.Bench;

/// <summary>
/// <c>archiver run</c> as a process of its own: the real executable, <c>archiver.dll</c>, which the bench's project
/// reference to <c>src/Archiver</c> puts in the bench's output, started as <c>dotnet archiver.dll run --config
/// node.conf</c> in a working directory of its own (as the end-to-end tests start it). Every node still running is
/// killed on dispose, and — should the bench exit some other way — when the bench's process exits.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private static readonly ConcurrentDictionary<NodeProcess, byte> Running = new();
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    static NodeProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var node in Running.Keys)
        {
            node.Kill();
        }
    };

    private NodeProcess(string name, string work, Process process)
    {
        Name = name;
        Work = work;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine(); // the node logs every start and takeover: read it, or its pipe fills and it blocks
        process.BeginErrorReadLine();
    }

    /// <summary>The executable beside the bench's own assembly.</summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "archiver.dll");

    public string Name { get; }

    public string Work { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The node's last lines of log, for whoever reads a failure.</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="configuration"/> (HOCON) to <c>node.conf</c> in <paramref name="work"/> and starts the node
    /// there; returns once it has written its API's address to <c>state/api.endpoint</c> (so its configuration should
    /// keep its data under <c>state/</c>: <c>security.token-key-file = "state/token.key"</c>, <c>api.port = 0</c>).
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string name, string work, string configuration, CancellationToken cancellationToken)
    {
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException($"The archiver executable is not beside the bench ({Executable}); build bench/Archiver.Bench, which references src/Archiver.", Executable);
        }

        Directory.CreateDirectory(work);
        var config = Path.Combine(work, "node.conf");
        await File.WriteAllTextAsync(config, configuration, cancellationToken);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Executable, "run", "--config", config })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["COLUMNS"] = "200";
        var node = new NodeProcess(name, work, Process.Start(info) ?? throw new InvalidOperationException($"{name}: dotnet did not start"));
        Running[node] = 0;
        try
        {
            var endpoint = Path.Combine(work, "state", "api.endpoint");
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(endpoint) && new FileInfo(endpoint).Length > 0))
            {
                if (node.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited at start:\n{node.OutputTail}");
                }

                if (waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"{name} did not start serving within 60 s:\n{node.OutputTail}");
                }

                await Task.Delay(100, cancellationToken);
            }

            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no drain, no release of its leases, no goodbye to the cluster.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    public async Task WaitForExitAsync(CancellationToken cancellationToken) => await _process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Kill();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed; the kernel reaps it.
            }
        }

        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
