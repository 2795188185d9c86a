using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Archiver.Dropbox.Emulator;
using Archiver.Hosting;
using Archiver.Testing;
using Microsoft.Extensions.Configuration;

namespace Archiver.EndToEnd.Tests;

public sealed class StatusPageBrowserTests : EmulatorTest
{
    private const string Token = "browser-test-token";
    private const int ItemsPerCustomer = 60;

    [Fact]
    public async Task StatusPage_InHeadlessChromium_ShowsACustomersRowChangeAsItsItemsAreArchived()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)); // a first run may install Chromium
        var ct = timeout.Token;
        Emulator.AddAccount("acme", "sl.acme", AccountLimits.Unlimited);
        Emulator.AddAccount("globex", "sl.globex", AccountLimits.Unlimited);
        Emulator.AddAccount("initech", "sl.initech", new AccountLimits(RatePerSecond: 10, Burst: 2));
        var content = Directory.CreateDirectory(Path.Combine(Work, "content")).FullName;
        await using var node = NodeHost.BuildNode(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["archiver:storage:sqlitepath"] = Path.Combine(Work, "archiver.db"),
            ["archiver:security:tokenkeyfile"] = Path.Combine(Work, "token.key"),
            ["archiver:content:roots:0"] = content,
            ["archiver:dropbox:apibaseuri"] = Emulator.BaseUri.ToString(),
            ["archiver:dropbox:contentbaseuri"] = Emulator.BaseUri.ToString(),
            ["archiver:node:refreshinterval"] = "00:00:00.200",
            ["archiver:api:port"] = "0",
            ["archiver:api:token"] = Token,
        }).Build(), minimumLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await node.StartAsync(ct);
        var address = NodeHost.ApiAddress(node)!;
        using var api = new HttpClient { BaseAddress = address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        foreach (var (id, name, rate) in new[] { ("acme", "Acme Telecom", 40.0), ("globex", "Globex Corp", 25.0), ("initech", "Initech", 30.0) })
        {
            (await api.PostAsJsonAsync("api/v1/customers", new { id, name, accessToken = $"sl.{id}", ratePerSecond = rate }, ct)).EnsureSuccessStatusCode();
        }

        (await api.PostAsync("api/v1/customers/acme/pause", null, ct)).EnsureSuccessStatusCode();
        // The node acts on a pause at its next refresh; items enqueued before that would be archived at once.
        await Eventually.TrueAsync(async () => await PhaseAsync(api, "acme", ct) is null or "stopped", "the node has stopped paused acme");
        var lines = new StringBuilder();
        foreach (var customer in new[] { "acme", "globex", "initech" })
        {
            for (var i = 0; i < ItemsPerCustomer; i++)
            {
                var file = Path.Combine(content, $"{customer}-{i}.txt");
                await File.WriteAllTextAsync(file, $"SMS {i} for {customer}", ct);
                lines.Append($$"""{"customer":"{{customer}}","externalId":"sms-{{i}}","kind":"Sms","source":"{{file}}","occurredAt":"2026-11-24T10:00:00Z","from":"+1555010{{i % 10}}","to":"+15550199"}""").Append('\n');
            }
        }

        (await api.PostAsync("api/v1/items/bulk", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"), ct)).EnsureSuccessStatusCode();

        await using var browser = await HeadlessChromium.StartAsync(new Uri(address, "/#token=" + Token), ct);
        async Task<string> CellAsync(string customer, string column) =>
            (await browser.Page.EvaluateAsync($"document.querySelector('#customers tr[data-customer=\"{customer}\"] .{column}')?.textContent ?? ''", ct)).GetString() ?? "";

        await Eventually.TrueAsync(async () => await CellAsync("acme", "backlog") == ItemsPerCustomer.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "the page shows paused acme's whole backlog", TimeSpan.FromSeconds(30));
        Assert.Equal("0", await CellAsync("acme", "archived"));
        Assert.DoesNotContain(Token, (await browser.Page.EvaluateAsync("location.href", ct)).GetString(), StringComparison.Ordinal); // the fragment is gone
        Assert.Equal(Token, (await browser.Page.EvaluateAsync("sessionStorage.getItem('archiver.api.token')", ct)).GetString());

        (await api.PostAsync("api/v1/customers/acme/resume", null, ct)).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(async () => await CellAsync("acme", "archived") == ItemsPerCustomer.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && await CellAsync("acme", "backlog") == "0", "the page shows acme's items archived", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await browser.Page.EvaluateAsync(
            "[...document.querySelectorAll('#events tbody tr')].some(r => r.textContent.includes('customer.state_changed') && r.textContent.includes('acme'))", ct)).GetBoolean(),
            "the event log shows acme's resume", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await browser.Page.EvaluateAsync("document.querySelectorAll('#chart polyline').length", ct)).GetInt32() == 3,
            "the chart draws a line per customer", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await browser.Page.EvaluateAsync(
            "document.querySelector('#chart polyline[data-customer=\"initech\"]').getAttribute('points').split(' ').length", ct)).GetInt32() >= 6,
            "the chart has a few seconds of initech's throughput", TimeSpan.FromSeconds(30));

        var png = await browser.ScreenshotAsync(ct);
        Assert.True(png.Length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
        var target = Environment.GetEnvironmentVariable("ARCHIVER_STATUS_SCREENSHOT") is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "status-page.png");
        await File.WriteAllBytesAsync(target, png, ct);
        await node.StopAsync(CancellationToken.None);
    }

    /// <summary>The customer's pipeline phase on the node, as the status API reports it; null when it never ran.</summary>
    private static async Task<string?> PhaseAsync(HttpClient api, string customer, CancellationToken ct)
    {
        using var status = JsonDocument.Parse(await api.GetStringAsync("api/v1/status", ct));
        var row = status.RootElement.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == customer);
        return row.GetProperty("phase").GetString();
    }
}
