using System.Diagnostics;
using Archiver.Testing;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// <c>archiver run</c> as its own process with its admin API on a free loopback port, started in a working directory
/// with a configuration file that points at a Dropbox emulator; gone (SIGTERM, then kill) on dispose.
/// </summary>
internal sealed class RunningNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private RunningNode(string work, string config, Process process)
    {
        Work = work;
        Config = config;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Work { get; }

    public string Config { get; }

    public Uri Address { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Process Process => _process;

    /// <summary>Writes <c>node.conf</c> (state under <c>state/</c>, content under <c>recordings/</c>) and starts the node.</summary>
    public static async Task<RunningNode> StartAsync(string work, Uri emulator, string extraConfig = "")
    {
        var config = Path.Combine(work, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            archiver {
              storage.sqlite-path = "state/archiver.db"
              security.token-key-file = "state/token.key"
              content.roots = ["recordings"]
              dropbox { api-base-uri = "{{emulator}}", content-base-uri = "{{emulator}}" }
              node.refresh-interval = 200ms
              api.port = 0
            }
            {{extraConfig}}
            """);
        Directory.CreateDirectory(Path.Combine(work, "recordings"));
        var node = new RunningNode(work, config, Process.Start(ArchiverProcess.StartInfo(work, "run", "--config", config))!);
        var endpoint = Path.Combine(work, "state", "api.endpoint");
        await Eventually.TrueAsync(() => File.Exists(endpoint) && File.ReadAllText(endpoint).Length > 0 || node._process.HasExited,
            "the node writes its API address", TimeSpan.FromSeconds(60));
        Assert.False(node._process.HasExited, "the node exited: " + node.Output);
        node.Address = new Uri(File.ReadAllText(endpoint).Trim());
        return node;
    }

    /// <summary>Runs a CLI command against this node (its configuration added).</summary>
    public Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args) =>
        ArchiverProcess.RunAsync(Work, [.. args, "--config", Config]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await ArchiverProcess.TerminateAsync(_process);
            }
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
