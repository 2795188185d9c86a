using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Archiver.Testing;

namespace Archiver.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium, headless, in a fresh profile, driven through the DevTools protocol. Installs it first with the
/// project's own <c>scripts/install-chromium.sh</c> when <c>/usr/bin/chromium</c> is missing.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Binary = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;

    private HeadlessChromium(Process process, string profile, DevToolsSession page)
    {
        _process = process;
        _profile = profile;
        Page = page;
    }

    public DevToolsSession Page { get; }

    public static async Task<HeadlessChromium> StartAsync(Uri url, CancellationToken ct)
    {
        await EnsureInstalledAsync(ct);
        var profile = Directory.CreateTempSubdirectory("archiver-chromium-").FullName;
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", url.ToString(),
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            await Eventually.TrueAsync(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2, "Chromium opens its DevTools port", TimeSpan.FromSeconds(60));
            var port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            Uri? pageSocket = null;
            await Eventually.TrueAsync(async () =>
            {
                var targets = await http.GetFromJsonAsync<JsonElement>("json/list", ct);
                pageSocket = targets.EnumerateArray().Where(t => t.GetProperty("type").GetString() == "page")
                    .Select(t => new Uri(t.GetProperty("webSocketDebuggerUrl").GetString()!)).FirstOrDefault();
                return pageSocket is not null;
            }, "Chromium lists the page", TimeSpan.FromSeconds(30));
            var session = await DevToolsSession.ConnectAsync(pageSocket!, ct);
            return new HeadlessChromium(process, profile, session);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>A PNG of the page as it is now.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken ct)
    {
        var shot = await Page.SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true }, ct);
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's last writes may still be landing; the temp directory is not ours to keep clean at any cost.
        }
    }

    private static async Task EnsureInstalledAsync(CancellationToken ct)
    {
        if (File.Exists(Binary))
        {
            return;
        }

        var script = FindScript();
        using var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = install.StandardOutput.ReadToEndAsync(ct);
        var error = install.StandardError.ReadToEndAsync(ct);
        await install.WaitForExitAsync(ct);
        Assert.True(install.ExitCode == 0 && File.Exists(Binary), $"{script} failed ({install.ExitCode}): {await output}{await error}");
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "install-chromium.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException("scripts/install-chromium.sh not found above " + AppContext.BaseDirectory);
    }
}
