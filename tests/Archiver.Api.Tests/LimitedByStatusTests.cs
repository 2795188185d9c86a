using System.Text.Json;
using Archiver.Core.Pipeline;
using Archiver.Testing;

namespace Archiver.Api.Tests;

/// <summary><c>GET /api/v1/status</c> says what holds each customer below its limit, with the figures behind it.</summary>
public sealed class LimitedByStatusTests
{
    [Fact]
    public async Task Status_OfACustomerWithOneSlotAndASlowDropbox_SaysParallelism_WithTheSlotsItsRateNeeds()
    {
        await using var node = await ApiNode.StartAsync(new Dictionary<string, string?> { ["archiver:pipeline:parallelism"] = "1" });
        node.Dropbox.Latency = TimeSpan.FromMilliseconds(200); // 1 slot at 0.2 s an upload: 5/s, below the rate of 20/s
        await node.AddCustomerAsync("acme", rate: 20);
        var lines = Enumerable.Range(0, 40).Select(i => JsonSerializer.Serialize(ApiNode.Item("acme", $"call-{i}", node.ContentFile($"call-{i}.wav"))));
        var (enqueued, _) = await node.SendAsync(HttpMethod.Post, "/api/v1/items/bulk", raw: string.Join("\n", lines));
        Assert.Equal(200, enqueued);
        await Eventually.TrueAsync(() => node.Dropbox.Calls >= 4, "a few uploads have finished");

        var row = CustomerApiTests.Row(await node.GetJsonAsync("/api/v1/status"), "acme");

        Assert.Equal("parallelism", row.GetProperty("limitedBy").GetString());
        var load = row.GetProperty("load");
        Assert.Equal(1, load.GetProperty("parallelism").GetInt32());
        Assert.True(load.GetProperty("slotsNeeded").GetDouble() > 1, load.ToString());
        Assert.True(load.GetProperty("uploadSeconds").GetDouble() > 0, load.ToString());
        Assert.InRange(load.GetProperty("slotsFullShare").GetDouble(), LimitedByRule.MostOfTheWindow, 1);
        foreach (var figure in new[] { "windowSeconds", "slotsBusy", "budgetWaitShare", "waitingForWorkShare" })
        {
            Assert.Equal(JsonValueKind.Number, load.GetProperty(figure).ValueKind);
        }
    }

    [Fact]
    public async Task Status_OfAnIdleCustomer_SaysNoWork_AndOfAPausedOne_Nothing()
    {
        await using var node = await ApiNode.StartAsync();
        await node.AddCustomerAsync("idle");
        await node.AddCustomerAsync("paused");
        await node.SendAsync(HttpMethod.Post, "/api/v1/customers/paused/pause");

        await Eventually.TrueAsync(async () =>
            CustomerApiTests.Row(await node.GetJsonAsync("/api/v1/status"), "idle").GetProperty("phase").GetString() == "idle",
            "the customer without items waits for work");
        var status = await node.GetJsonAsync("/api/v1/status");
        var (idle, paused) = (CustomerApiTests.Row(status, "idle"), CustomerApiTests.Row(status, "paused"));

        Assert.Equal("no-work", idle.GetProperty("limitedBy").GetString());
        Assert.Equal(JsonValueKind.Null, idle.GetProperty("load").ValueKind); // no pipeline runs: no figures
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("limitedBy").ValueKind); // its state says why
    }

    [Fact]
    public async Task StatusPage_HasALimitedByColumn_AndShowsEveryBoundInStatussWords()
    {
        await using var node = await ApiNode.StartAsync();
        using var client = new HttpClient { BaseAddress = node.Address };

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var script = await client.GetStringAsync(new Uri("/status.js", UriKind.Relative));

        Assert.Contains("<th>limited by</th>", html, StringComparison.Ordinal);
        foreach (var bound in Enum.GetValues<LimitedBy>())
        {
            Assert.Contains($"\"{bound.Describe()}\"", script, StringComparison.Ordinal); // the page's words are the CLI's
            Assert.Contains(bound.Wire(), script, StringComparison.Ordinal);
        }
    }
}
