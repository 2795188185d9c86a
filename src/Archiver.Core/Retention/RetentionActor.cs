using Akka.Actor;
using Archiver.Core.Cluster;

namespace Archiver.Core.Retention;

/// <summary>
/// Runs the <see cref="RetentionPruner"/> every <see cref="RetentionOptions.Interval"/> on the node that leads the Akka
/// cluster, so on one node at a time (a single node leads its cluster of one). The run goes on off the actor; a tick
/// that comes while one is under way is dropped. Should leadership move during a run, the new leader's overlapping run
/// only finds fewer rows: PostgreSQL skips the rows the other holds. Every finished run is handed to
/// <paramref name="report"/> (the node's read model that the status shows).
/// </summary>
public sealed class RetentionActor : ReceiveActor, IWithTimers
{
    private const string PruneTimer = "prune";

    private readonly RetentionPruner _pruner;
    private readonly TimeSpan _interval;
    private readonly Func<bool> _leads;
    private readonly Action<RetentionRun> _report;
    private readonly CancellationTokenSource _lifetime = new();
    private bool _running;

    public RetentionActor(RetentionPruner pruner, TimeSpan interval, Func<bool> leads, Action<RetentionRun> report)
    {
        _pruner = pruner;
        _interval = interval;
        _leads = leads;
        _report = report;

        Receive<PruneDue>(_ =>
        {
            if (_running || !_leads())
            {
                return;
            }

            _running = true;
            _pruner.RunAsync(_lifetime.Token).PipeTo(Self);
        });
        Receive<RetentionRun>(run =>
        {
            _running = false;
            _report(run);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The actor of a node in <paramref name="system"/>: it runs when this node is the cluster's leader.
    /// </summary>
    public static Props Props(RetentionPruner pruner, TimeSpan interval, Akka.Cluster.Cluster cluster, Action<RetentionRun> report) =>
        Props(pruner, interval, cluster.Leads, report);

    public static Props Props(RetentionPruner pruner, TimeSpan interval, Func<bool> leads, Action<RetentionRun> report) =>
        Akka.Actor.Props.Create(typeof(RetentionActor), pruner, interval, leads, report);

    protected override void PreStart() => Timers.StartPeriodicTimer(PruneTimer, PruneDue.Instance, _interval);

    protected override void PostStop() => _lifetime.Cancel();

    private sealed record PruneDue
    {
        public static PruneDue Instance { get; } = new();
    }
}
