using System.Diagnostics;
using System.Security.Cryptography;
using Archiver.Dropbox.Emulator;
using Archiver.Testing;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// What <c>archiver run</c> keeps in its data directory — database, keys, tokens, identity — who may read it, and how
/// it refuses to start on a key or a file it cannot use.
/// </summary>
public sealed class StateOnDiskTests : EmulatorTest
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task RunningNode_KeepsItsDataDirectoryAndEveryFileInIt_ReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions
        }

        Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        Assert.Equal(0, (await node.CliAsync("customers", "add", "acme", "--access-token", "sl.acme")).ExitCode); // a write: the WAL exists

        var state = Path.Combine(Work, "state");
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(state));
        var files = Directory.GetFiles(state).Select(Path.GetFileName).ToArray();
        Assert.Superset(
            new HashSet<string?> { "archiver.db", "archiver.db-wal", "archiver.db-shm", "akka.db", "token.key", "api.token", "node.id" }, // akka.db: customers' control journal
            files.ToHashSet());
        foreach (var file in Directory.GetFiles(state))
        {
            Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFile, $"{file}: {File.GetUnixFileMode(file)}");
        }
    }

    [Theory]
    [InlineData("not base64 at all!", "not base64")]
    [InlineData("c2l4dGVlbiBieXRlcyBvbmx5", "is 18 bytes; it must be 32")]
    public async Task Run_WithABadTokenKey_RefusesInOneLineNamingTheKey(string key, string problem)
    {
        var result = await ArchiverProcess.RunAsync(Work, "run", "--set", $"archiver.security.token-key={key}", "--set", "archiver.api.port=0");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("archiver.security.token-key", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithATokenKeyFileOfTheWrongLength_RefusesInOneLineNamingTheFile()
    {
        Directory.CreateDirectory(Path.Combine(Work, "data"));
        await File.WriteAllTextAsync(Path.Combine(Work, "data", "token.key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

        var result = await ArchiverProcess.RunAsync(Work, "run", "--set", "archiver.api.port=0");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Path.Combine(Work, "data", "token.key"), line, StringComparison.Ordinal);
        Assert.Contains("is 16 bytes; it must be 32", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnADatabaseFileThatIsNotADatabase_RefusesInOneLineNamingTheFile()
    {
        Directory.CreateDirectory(Path.Combine(Work, "data"));
        await File.WriteAllTextAsync(Path.Combine(Work, "data", "archiver.db"), "call log, 2026-11-24\n+15550100 -> +15550199\n");

        var result = await ArchiverProcess.RunAsync(Work, "run", "--set", "archiver.api.port=0");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Path.Combine(Work, "data", "archiver.db"), line, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondNode_InTheSameDataDirectory_IsRefusedWhileTheFirstRuns()
    {
        await using var node = await RunningNode.StartAsync(Work, Emulator.BaseUri);

        using var second = Process.Start(ArchiverProcess.StartInfo(Work, "run", "--config", node.Config))!;
        var error = second.StandardError.ReadToEndAsync();
        _ = second.StandardOutput.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await second.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!second.HasExited)
            {
                second.Kill(entireProcessTree: true); // it started: the assertion below says so
            }
        }

        Assert.Equal(2, second.ExitCode);
        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Path.Combine(Work, "state", "node.id"), line, StringComparison.Ordinal);
        Assert.Contains("another node", line, StringComparison.Ordinal);
        Assert.False(node.Process.HasExited);
    }

    [Fact]
    public async Task RestartedNode_KeepsItsIdentity()
    {
        var idFile = Path.Combine(Work, "state", "node.id");
        var firstStart = await RunningNode.StartAsync(Work, Emulator.BaseUri);
        await firstStart.DisposeAsync(); // SIGTERM

        var first = (await File.ReadAllTextAsync(idFile)).Trim(); // readable once the node let go of it
        File.Delete(Path.Combine(Work, "state", "api.endpoint"));
        await using (var node = await RunningNode.StartAsync(Work, Emulator.BaseUri))
        {
            await Eventually.TrueAsync(
                async () => (await node.CliAsync("cluster", "show")).Output.Contains(first, StringComparison.Ordinal),
                "the restarted node heartbeats under the id the first start generated", TimeSpan.FromSeconds(10));
        }

        Assert.Equal(first, (await File.ReadAllTextAsync(idFile)).Trim());
    }
}
