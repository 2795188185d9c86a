using System.Text.Json;
using Archiver.Commands;
using Spectre.Console;

namespace Archiver.Api.Tests;

/// <summary><c>archiver status</c> shows what holds each customer below its limit, in status's words, with the figure that names the knob.</summary>
public sealed class StatusTableTests
{
    [Theory]
    [InlineData("\"parallelism\"", """{"parallelism":4,"slotsNeeded":8.1,"budgetWaitShare":0.02}""", "parallelism-bound: needs 8.1 slots, has 4")]
    [InlineData("\"parallelism\"", """{"parallelism":1,"slotsNeeded":null,"budgetWaitShare":0}""", "parallelism-bound: all 1 slots busy")]
    [InlineData("\"node-upload-budget\"", """{"parallelism":4,"slotsNeeded":40,"budgetWaitShare":0.62}""", "node upload budget: 62% of upload time waiting")]
    [InlineData("\"dropbox\"", "null", "limited by Dropbox")]
    [InlineData("\"no-work\"", "null", "no work")]
    [InlineData("\"rate\"", """{"parallelism":4,"slotsNeeded":1.2,"budgetWaitShare":0}""", "at limit")]
    [InlineData("null", "null", "")]
    public void LimitedBy_IsShownInWordsWithItsFigure(string limitedBy, string load, string shown)
    {
        var customer = JsonDocument.Parse($$"""{"id":"acme","limitedBy":{{limitedBy}},"load":{{load}}}""").RootElement;

        Assert.Equal(shown, StatusCommand.LimitedByText(customer));
    }

    [Fact]
    public void Table_HasALimitedByColumn_ShowingEachCustomersBound()
    {
        var status = JsonDocument.Parse("""
            {"node":{"nodeId":"node-1","address":"http://127.0.0.1:8780/"},"customers":[
              {"id":"acme","state":"Active","archived":10,"backlog":90,"failed":0,"itemsPerSecond":4.9,"currentRate":20,"rateLimit":20,
               "rateLimitedLastMinute":0,"limitedBy":"parallelism","load":{"parallelism":1,"slotsNeeded":4,"budgetWaitShare":0}},
              {"id":"globex","state":"Active","archived":0,"backlog":0,"failed":0,"itemsPerSecond":0,"currentRate":10,"rateLimit":10,
               "rateLimitedLastMinute":0,"limitedBy":"no-work","load":null}]}
            """).RootElement;
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 250;

        console.Write(StatusCommand.Render(status));

        var text = output.ToString();
        Assert.Contains("limited by", text, StringComparison.Ordinal);
        Assert.Matches(@"acme\s*│.*│\s*parallelism-bound: needs 4 slots, has 1\s*│", text);
        Assert.Matches(@"globex\s*│.*│\s*no work\s*│", text);
    }

    [Theory]
    [InlineData("""{"webhook":"https://***@hooks.example.com/x","lastSuccessAt":"2026-12-06T10:00:00+00:00","lastFailureAt":null,"lastFailure":null,"failuresInARow":0,"cursor":12}""",
        "alerts to https://***@hooks.example.com/x: last delivered 2026-12-06T10:00:00+00:00")]
    [InlineData("""{"webhook":"https://hooks.example.com/x","lastSuccessAt":null,"lastFailureAt":"2026-12-06T10:01:00+00:00","lastFailure":"HTTP 500","failuresInARow":3,"cursor":null}""",
        "alerts to https://hooks.example.com/x: none delivered from this node; last failure 2026-12-06T10:01:00+00:00: HTTP 500 (3 in a row)")]
    public void EachWebhooksDeliveries_AreShownInALine(string webhook, string shown) =>
        Assert.Equal(shown, StatusCommand.AlertsText(JsonDocument.Parse(webhook).RootElement));
}
