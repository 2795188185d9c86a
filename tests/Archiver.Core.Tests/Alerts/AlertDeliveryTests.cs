using System.Text.Json;
using Akka.Actor;
using Archiver.Core.Alerts;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Tests.Pipeline;
using Archiver.Core.Uploads;
using Archiver.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Alerts;

/// <summary>Alerts delivered from the journal to a real HTTP receiver, for customers parked and items failed by real pipelines.</summary>
public sealed class AlertDeliveryTests() : Akka.TestKit.Xunit2.TestKit(ControlPersistence.InMemory)
{
    private const string Secret = "whsec-test";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static readonly SupervisorOptions FastRestarts = new()
    {
        RestartBaseDelay = TimeSpan.FromMilliseconds(20),
        RestartMaxDelay = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task CustomerParkedByARevokedToken_IsAlerted_WithABodySignedByTheWebhooksSecret()
    {
        await using var harness = await PipelineHarness.StartAsync();
        using var receiver = new WebhookReceiver();
        var customer = await harness.AddCustomerAsync("acme");
        using var dispatcher = Dispatch(harness, receiver, out var status);
        await Eventually.TrueAsync(() => status.Snapshot().Any(w => w.Cursor is not null), "the webhook starts at the journal's end");

        await harness.EnqueueAsync(customer.Id, 5);
        harness.Target.Script = _ => new UploadResult.CustomerBlocked(CustomerState.NeedsReauth, "invalid_access_token");
        var actor = Serve(harness, customer);

        await Eventually.TrueAsync(() => receiver.Accepted.Count > 0, "an alert reaches the receiver", TimeSpan.FromSeconds(20));
        var (signature, body) = Assert.Single(receiver.Accepted);
        Assert.True(WebhookSignature.Verify(signature, Secret, body, DateTimeOffset.UtcNow, Tolerance), "signed with the webhook's secret");
        Assert.False(WebhookSignature.Verify(signature, "another-secret", body, DateTimeOffset.UtcNow, Tolerance));
        using var json = JsonDocument.Parse(body);
        Assert.Equal(AlertKinds.CustomerParked, json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("acme", json.RootElement.GetProperty("customer").GetString());
        Assert.Contains("invalid_access_token", json.RootElement.GetProperty("details").GetString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(
            async () => (await harness.Store.ReadEventsAsync(new EventQuery(Type: EventTypes.AlertDelivered), CancellationToken.None)).Count == 1,
            "the delivery is journaled");
        Assert.NotNull(Assert.Single(status.Snapshot()).LastSuccessAt);
        await StopAsync(actor);
    }

    [Fact]
    public async Task ReceiverOutage_AcrossARestartOfTheDispatcher_LosesNoAlert()
    {
        await using var harness = await PipelineHarness.StartAsync();
        using var receiver = new WebhookReceiver();
        receiver.AnswerNext(500, 500);
        var customer = await harness.AddCustomerAsync("acme");
        var first = Dispatch(harness, receiver, out var status);
        await Eventually.TrueAsync(() => status.Snapshot().Any(w => w.Cursor is not null), "the webhook starts at the journal's end");

        await harness.Store.SetCustomerStateAsync(customer.Id, CustomerState.StorageFull, "insufficient_space", CancellationToken.None);
        // Until the node has the 500 in hand: stopped while its POST is still under way, it would never see the refusal.
        await Eventually.TrueAsync(
            () => receiver.Requests.Count >= 1 && status.Snapshot().Any(w => w.LastFailureAt is not null),
            "the receiver, down, is sent the alert and the node sees it refused", TimeSpan.FromSeconds(20));
        first.Dispose(); // the node stops during the outage
        Assert.Empty(receiver.Accepted);
        Assert.NotNull(Assert.Single(status.Snapshot()).LastFailureAt);

        using var second = Dispatch(harness, receiver, out _);
        await Eventually.TrueAsync(() => receiver.Accepted.Count > 0, "the alert is sent again once the receiver is back", TimeSpan.FromSeconds(20));

        var (signature, body) = Assert.Single(receiver.Accepted);
        Assert.True(WebhookSignature.Verify(signature, Secret, body, DateTimeOffset.UtcNow, Tolerance));
        using var json = JsonDocument.Parse(body);
        Assert.Equal(AlertKinds.CustomerParked, json.RootElement.GetProperty("kind").GetString());
        Assert.All(receiver.Requests, r => Assert.Equal(body.Length, r.Body.Length)); // the same alert each time
        var failed = await harness.Store.ReadEventsAsync(new EventQuery(Type: EventTypes.AlertFailed), CancellationToken.None);
        Assert.NotEmpty(failed);
        Assert.Contains("HTTP 500", failed[0].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveHundredFailedItemsOfOneCustomer_AreOneAlertWithTheirCount()
    {
        await using var harness = await PipelineHarness.StartAsync();
        using var receiver = new WebhookReceiver();
        var customer = await harness.AddCustomerAsync("acme");
        using var dispatcher = Dispatch(harness, receiver, out var status, failedItemsInterval: TimeSpan.FromSeconds(4));
        await Eventually.TrueAsync(() => status.Snapshot().Any(w => w.Cursor is not null), "the webhook starts at the journal's end");

        harness.Target.Script = _ => new UploadResult.Permanent("path/malformed");
        await harness.EnqueueAsync(customer.Id, 500);
        var actor = Serve(harness, customer);
        await Eventually.TrueAsync(async () => (await harness.ProgressAsync(customer.Id)).Failed == 500, "all 500 fail", TimeSpan.FromSeconds(20));

        await Eventually.TrueAsync(() => receiver.Accepted.Count > 0, "the batch is sent when its window closes", TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing else follows
        using var json = JsonDocument.Parse(Assert.Single(receiver.Accepted).Body);
        Assert.Equal(AlertKinds.ItemsFailed, json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(500, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("acme", json.RootElement.GetProperty("customer").GetString());
        await StopAsync(actor);
    }

    private static RunningDispatcher Dispatch(
        PipelineHarness harness, WebhookReceiver receiver, out AlertDeliveryStatus status, TimeSpan? failedItemsInterval = null)
    {
        status = new AlertDeliveryStatus();
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var webhook = new AlertWebhook(receiver.Url.ToString(), receiver.Url, new HashSet<string>(AlertKinds.All), new Secret(Secret));
        var settings = new AlertSettings(
            failedItemsInterval ?? TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        var dispatcher = new AlertDispatcher(
            [webhook], settings, harness.Store, harness.Store, new WebhookSender(http, TimeProvider.System), status, () => true, "node",
            TimeProvider.System, NullLogger.Instance);
        var stop = new CancellationTokenSource();
        return new RunningDispatcher(dispatcher.RunAsync(stop.Token), stop, http);
    }

    private IActorRef Serve(PipelineHarness harness, Customer customer)
    {
        var actor = Sys.ActorOf(harness.CustomerProps(customer, new CustomerActivity(customer.Id), options: FastRestarts));
        Watch(actor);
        return actor;
    }

    private async Task StopAsync(IActorRef actor)
    {
        actor.Tell(CustomerStopRequested.Instance);
        await ExpectTerminatedAsync(actor, TimeSpan.FromSeconds(15));
    }

    private sealed class RunningDispatcher(Task run, CancellationTokenSource stop, HttpClient http) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            run.Wait(TimeSpan.FromSeconds(10));
            stop.Dispose();
            http.Dispose();
        }
    }
}
