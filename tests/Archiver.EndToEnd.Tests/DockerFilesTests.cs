using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Archiver.Hosting;
using Microsoft.Extensions.Logging;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// No Docker engine runs here, so the image and compose file are checked for what can be checked without one: every
/// path the Dockerfile copies exists, and the settings compose gives a node are real settings a node starts with.
/// </summary>
public sealed partial class DockerFilesTests
{
    private static readonly string Root = FindRepositoryRoot();

    [Fact]
    public void Dockerfile_CopiesOnlyPathsThatExist()
    {
        var copies = File.ReadAllLines(Path.Combine(Root, "docker", "Dockerfile"))
            .Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && !line.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToArray();

        Assert.NotEmpty(copies);
        Assert.All(copies, path => Assert.True(File.Exists(Path.Combine(Root, path)) || Directory.Exists(Path.Combine(Root, path)), $"{path} does not exist"));
    }

    [Fact]
    public void ComposeNodeSettings_BindAndPassValidation()
    {
        var settings = EnvironmentOf("node2")
            .ToDictionary(
                entry => entry.Key.Replace("__", ":", StringComparison.Ordinal).ToLowerInvariant(),
                entry => (string?)Substitute(entry.Value));

        Assert.Equal("postgres", settings["archiver:storage:provider"]);
        Assert.Equal("node2", settings["archiver:node:nodeid"]);
        var configuration = ArchiverConfiguration.Build(configFile: null, settings.Select(s => $"{s.Key}={s.Value}")); // as the app reads them
        using var host = NodeHost.Build(configuration, minimumLevel: LogLevel.Warning); // validates every setting, refusing bad ones
    }

    /// <summary>The node's environment: the shared anchor's variables, then the service's own.</summary>
    private static Dictionary<string, string> EnvironmentOf(string service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        string top = "", current = "";
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "docker", "compose.yaml")))
        {
            if (Regex.Match(line, "^([a-z][a-z0-9-]*):") is { Success: true } topKey)
            {
                top = topKey.Groups[1].Value;
            }
            else if (top == "services" && Regex.Match(line, "^  ([a-z0-9-]+):") is { Success: true } serviceKey)
            {
                current = serviceKey.Groups[1].Value;
            }

            if ((top == "x-node" || (top == "services" && current == service)) && Setting().Match(line) is { Success: true } setting)
            {
                environment[setting.Groups[1].Value] = setting.Groups[2].Value.Trim().Trim('"');
            }
        }

        return environment;
    }

    /// <summary>Fills compose's required variables as an operator would.</summary>
    private static string Substitute(string value) =>
        value.StartsWith("${ARCHIVER_TOKEN_KEY", StringComparison.Ordinal) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        : value.StartsWith("${ARCHIVER_API_TOKEN", StringComparison.Ordinal) ? "an-api-token-of-some-length"
        : value;

    [GeneratedRegex(@"^\s+(ARCHIVER__[A-Z0-9_]+):\s*(.+)$")]
    private static partial Regex Setting();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker", "compose.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with docker/compose.yaml) was not found above the test's output.");
    }
}
