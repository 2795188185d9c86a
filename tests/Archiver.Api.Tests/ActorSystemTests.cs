using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Archiver.Core.Customers;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Archiver.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Archiver.Api.Tests;

public sealed class ActorSystemTests
{
    [Fact]
    public async Task Node_RunsItsActorSystem_WithTheAkkaSectionOverTheBuiltInDefaults()
    {
        await using var node = await ApiNode.StartAsync(new Dictionary<string, string?>
        {
            ["akka:loglevel"] = "WARNING",
            ["akka:coordinated-shutdown:default-phase-timeout"] = "7s",
        });

        var system = node.App.Services.GetRequiredService<ActorSystem>();
        var config = system.Settings.Config;

        Assert.Equal("archiver", system.Name);
        Assert.Equal("WARNING", config.GetString("akka.loglevel"));
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan("akka.coordinated-shutdown.default-phase-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(40), config.GetTimeSpan("akka.coordinated-shutdown.phases.service-stop.timeout")); // a default
        Assert.Equal(8, config.GetInt("akka.actor.default-dispatcher.fork-join-executor.parallelism-max"));
        Assert.IsType<Archiver.Core.Node.TimerQueueScheduler>(system.Scheduler); // no 10 ms tick while the node idles
    }

    [Fact]
    public async Task AkkaLogs_GoThroughTheNodesLoggers()
    {
        var captured = new CapturingLoggerProvider();
        await using var node = await ApiNode.StartAsync(configure: services => services.AddSingleton<ILoggerProvider>(captured));
        var system = node.App.Services.GetRequiredService<ActorSystem>();

        system.Log.Warning("a warning from inside the actor system");

        await Eventually.TrueAsync(
            () => captured.Messages.Any(m => m.Contains("a warning from inside the actor system", StringComparison.Ordinal)),
            "the actor system's warning reaches the node's logger");
    }

    [Fact]
    public async Task StoppingTheNode_RunsCoordinatedShutdown_AndTerminatesTheActorSystem()
    {
        var node = await ApiNode.StartAsync();
        var system = node.App.Services.GetRequiredService<ActorSystem>();

        await node.DisposeAsync();

        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(Akka.Actor.CoordinatedShutdown.Get(system).ShutdownReason);
    }

    [Fact]
    public async Task StoppingTheNode_DrainsItsCustomers_ReturnsEveryClaim_ReleasesTheLease_AndLeavesTheCluster()
    {
        var node = await ApiNode.StartAsync(new Dictionary<string, string?>
        {
            ["archiver:pipeline:parallelism"] = "2",
            ["archiver:pipeline:draintimeout"] = "00:00:01",
        });
        var store = node.App.Services.GetRequiredService<IArchiveStore>();
        var acme = new CustomerId("acme");
        node.Dropbox.Gate = new TaskCompletionSource().Task; // uploads under way never finish: the drain timeout ends them
        await node.AddCustomerAsync("acme");
        for (var i = 0; i < 10; i++)
        {
            await node.SendAsync(HttpMethod.Post, "/api/v1/items", ApiNode.Item("acme", $"call-{i}", node.ContentFile($"call-{i}.wav")));
        }

        await Eventually.TrueAsync(() => node.Dropbox.InFlight == 2, "two uploads are under way");
        Assert.True((await store.GetProgressAsync(acme, CancellationToken.None)).Single().InFlight > 0);

        await node.App.StopAsync(); // coordinated shutdown: phase service-stop drains the node

        var progress = (await store.GetProgressAsync(acme, CancellationToken.None)).Single(); // the store outlives the drain
        Assert.Equal(new CustomerProgress(acme, Pending: 10, InFlight: 0, Archived: 0, Failed: 0), progress);
        Assert.NotNull(await store.AcquireLeaseAsync(acme, "other-node", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.DoesNotContain(await store.ListNodesAsync(CancellationToken.None), n => n.NodeId == "api-test-node");
        await node.DisposeAsync();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue(formatter(state, exception));
        }
    }
}
