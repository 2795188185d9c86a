using Akka.Actor;
using Archiver.Core.Alerts;
using Archiver.Core.Cluster;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

/// <summary>
/// Runs the node's <see cref="AlertDispatcher"/> beside archiving, on its own loops. In a cluster only the Akka cluster
/// leader delivers: every node runs the loops, and a node that is not the leader only waits. When leadership moves
/// (the leader left or was downed), the new leader goes on from the cursors in the store; an alert the old leader was
/// sending as it went may be sent twice, never lost.
/// </summary>
internal sealed class AlertDelivery(
    IOptions<AlertOptions> options,
    IArchiveStore store,
    AlertDeliveryStatus status,
    IServiceProvider services,
    NodeIdentity identity,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var alerts = options.Value;
        if (alerts.Webhooks.Count == 0)
        {
            return;
        }

        using var http = AlertHttp.Client(alerts);
        var dispatcher = new AlertDispatcher(
            alerts.ToWebhooks(), alerts.Settings, store, store, new WebhookSender(http, time), status, IsLeader, identity.Id, time,
            loggers.CreateLogger("Archiver.Core.Alerts"));
        await dispatcher.RunAsync(stoppingToken);
    }

    /// <summary>Whether this node is the cluster's leader now; a node not yet (or no longer) a member is not.</summary>
    private bool IsLeader()
    {
        if (services.GetService<ActorSystem>() is not ExtendedActorSystem system || system.WhenTerminated.IsCompleted)
        {
            return false;
        }

        if (system.Provider is not Akka.Cluster.ClusterActorRefProvider)
        {
            return true; // not a cluster: alone
        }

        return Akka.Cluster.Cluster.Get(system).Leads();
    }
}
