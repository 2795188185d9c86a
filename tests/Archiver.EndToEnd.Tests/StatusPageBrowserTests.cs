using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archiver.Core.Customers;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Dropbox.Emulator;
using Archiver.Hosting;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

    [Fact]
    public async Task StatusPage_InHeadlessChromium_ShowsTheLastRetentionRunAndEachWebhooksDeliveries_AsText()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)); // a first run may install Chromium
        var ct = timeout.Token;
        using var receiver = new WebhookReceiver();
        receiver.AnswerNext(500); // the first delivery is refused, the next accepted
        var webhook = new UriBuilder(receiver.Url) { UserName = "hook-user", Password = "hook-pass" }.Uri;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var database = Path.Combine(Work, "archiver.db");
        var acme = new CustomerId("acme");
        await using (var past = new SqliteArchiveStore( // archived 200 days ago: retention's first run has it to remove
            new SqliteStoreOptions { DatabasePath = database }, AesGcmTokenProtector.FromBase64(key), new WorkSignal(), new ManualTimeProvider(TimeProvider.System.GetUtcNow().AddDays(-200))))
        {
            await past.MigrateAsync(ct);
            await past.AddCustomerAsync(new NewCustomer(acme, "Acme", new DropboxCredentials(new Secret("sl.acme"))), ct);
            await StoreHistory.ArchiveAsync(past, acme, "old", archived: 3, failed: 1, ct);
        }

        await using var node = NodeHost.BuildNode(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["archiver:storage:sqlitepath"] = database,
                ["archiver:security:tokenkey"] = key,
                ["archiver:security:tokenkeyfile"] = Path.Combine(Work, "token.key"),
                ["archiver:dropbox:apibaseuri"] = Emulator.BaseUri.ToString(),
                ["archiver:dropbox:contentbaseuri"] = Emulator.BaseUri.ToString(),
                ["archiver:node:refreshinterval"] = "00:00:00.200",
                ["archiver:api:port"] = "0",
                ["archiver:api:token"] = Token,
                ["archiver:retention:interval"] = "00:00:00.200",
                ["archiver:alerts:webhooks:0:url"] = webhook.ToString(),
                ["archiver:alerts:webhooks:0:events:0"] = "customer.parked",
                ["archiver:alerts:webhooks:0:secret"] = "whsec-page",
                ["archiver:alerts:allowedhosts:0"] = "127.0.0.1",
                ["archiver:alerts:pollinterval"] = "00:00:00.100",
                ["archiver:alerts:retrybasedelay"] = "00:00:00.100",
                ["archiver:alerts:retrymaxdelay"] = "00:00:01",
            }).Build(),
            services =>
            {
                var real = services.Single(d => d.ServiceType == typeof(IArchiveStore)).ImplementationFactory!;
                services.Replace(ServiceDescriptor.Singleton<IArchiveStore>(sp => new FirstRetentionRunOnly((IArchiveStore)real(sp)))); // later runs find nothing
            },
            Microsoft.Extensions.Logging.LogLevel.Warning);
        await node.StartAsync(ct);
        var address = NodeHost.ApiAddress(node)!;
        using var api = new HttpClient { BaseAddress = address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        async Task<JsonElement> StatusAsync()
        {
            using var json = JsonDocument.Parse(await api.GetStringAsync("api/v1/status", ct));
            return json.RootElement.Clone();
        }

        await Eventually.TrueAsync(async () => (await StatusAsync()).GetProperty("alerts").EnumerateArray().Any(w => w.GetProperty("cursor").ValueKind == JsonValueKind.Number),
            "the webhook starts at the journal's end", TimeSpan.FromSeconds(30));
        await node.Services.GetRequiredService<IArchiveStore>().SetCustomerStateAsync(acme, CustomerState.NeedsReauth, "invalid_access_token", ct);
        await Eventually.TrueAsync(async () => (await StatusAsync()).GetProperty("alerts")[0].GetProperty("lastSuccessAt").ValueKind == JsonValueKind.String,
            "the parked alert is delivered, refused once first", TimeSpan.FromSeconds(30));
        var status = await StatusAsync();
        var retention = status.GetProperty("retention");
        Assert.Equal(3, retention.GetProperty("archivedItems").GetInt64()); // the first run's, which the page is to show

        await using var browser = await HeadlessChromium.StartAsync(new Uri(address, "/#token=" + Token), ct);
        async Task<string[]> RowAsync(string table) => JsonSerializer.Deserialize<string[]>((await browser.Page.EvaluateAsync(
            $"[...(document.querySelector('#{table} tbody tr')?.cells ?? [])].map(c => c.textContent)", ct)).GetRawText())!;

        // What the node serves, in words: the webhook by its masked URL, where its cursor is, when it last delivered, its
        // last failure; the retention run's time, counts, duration, when the next is due and how often.
        var masked = $"http://***@127.0.0.1:{receiver.Url.Port}/hooks/archiver/";
        string[] alertRow = [];
        await Eventually.TrueAsync(async () => (alertRow = await RowAsync("alerts")).Length == 5 && alertRow[0] == masked,
            "the page shows the webhook", TimeSpan.FromSeconds(30));
        Assert.Matches(@"^\d+$", alertRow[1]);
        Assert.Matches(@"^\d\d/\d\d/\d{4}, \d\d:\d\d:\d\d$", alertRow[2]);
        Assert.Matches(@"^\d\d/\d\d/\d{4}, \d\d:\d\d:\d\d: HTTP 500$", alertRow[3]);
        Assert.Equal("0", alertRow[4]);
        string[] retentionRow = [];
        await Eventually.TrueAsync(async () => (retentionRow = await RowAsync("retention")).Length == 7, "the page shows the retention run", TimeSpan.FromSeconds(30));
        var startedAt = retention.GetProperty("startedAt").GetDateTimeOffset().ToLocalTime();
        Assert.Equal(startedAt.ToString("dd/MM/yyyy, HH:mm:ss", CultureInfo.InvariantCulture), retentionRow[0]);
        Assert.Equal(
            [retention.GetProperty("archivedItems").GetInt64().ToString(CultureInfo.InvariantCulture), retention.GetProperty("events").GetInt64().ToString(CultureInfo.InvariantCulture),
             retention.GetProperty("failureEvents").GetInt64().ToString(CultureInfo.InvariantCulture)],
            retentionRow[1..4]);
        Assert.Matches(@"^[\d.]+ m?s$", retentionRow[4]);
        Assert.Equal($"≈ {startedAt.AddSeconds(0.2).ToString("HH:mm:ss", CultureInfo.InvariantCulture)} (every 200 ms)", retentionRow[5]);
        Assert.Equal("–", retentionRow[6]);
        Assert.DoesNotContain("hook-pass", (await browser.Page.EvaluateAsync("document.body.innerHTML", ct)).GetString(), StringComparison.Ordinal);

        // Whatever the status says is shown as text, never as markup; and a node without either says so.
        await browser.Page.EvaluateAsync("""
            window.editStatus = (s) => s;
            const fetched = window.fetch;
            window.fetch = async (url, init) => {
              const response = await fetched(url, init);
              if (!String(url).endsWith("/status")) return response;
              return new Response(JSON.stringify(window.editStatus(await response.json())), { headers: { "Content-Type": "application/json" } });
            };
            window.editStatus = (s) => {
              s.alerts = [{ webhook: '<img src=x onerror="window.pwned = 1">', cursor: 7, lastSuccessAt: null, lastFailureAt: s.at, lastFailure: "<b>refused</b>", failuresInARow: 3 }];
              s.retention.error = "<i>stopped</i>";
              return s;
            };
            true
            """, ct);
        await Eventually.TrueAsync(async () => (await RowAsync("alerts"))[0] == """<img src=x onerror="window.pwned = 1">""",
            "the page shows the webhook's name as it is written", TimeSpan.FromSeconds(30));
        alertRow = await RowAsync("alerts");
        Assert.Equal(["7", "never", "3"], [alertRow[1], alertRow[2], alertRow[4]]);
        Assert.EndsWith(": <b>refused</b>", alertRow[3], StringComparison.Ordinal);
        Assert.Equal("<i>stopped</i>", (await RowAsync("retention"))[6]);
        Assert.Equal(0, (await browser.Page.EvaluateAsync("document.querySelectorAll('#alerts img, #alerts b, #retention i').length", ct)).GetInt32());
        Assert.Equal("undefined", (await browser.Page.EvaluateAsync("typeof window.pwned", ct)).GetString());

        await browser.Page.EvaluateAsync("window.editStatus = (s) => ({ ...s, alerts: [], retention: null }); true", ct);
        await Eventually.TrueAsync(async () => (await RowAsync("retention")) is ["no run on this node yet"] && (await RowAsync("alerts")) is ["none from this node"],
            "the page says when there is no run and no webhook", TimeSpan.FromSeconds(30));
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
