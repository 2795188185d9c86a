using System.Collections.Concurrent;
using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Node;

/// <summary>
/// The node: runs one <see cref="CustomerSupervisor"/> per active customer, starts supervisors for customers
/// added or resumed, and on shutdown stops them all gracefully (each drains and checkpoints what is under way).
/// </summary>
public sealed class ArchiverNode(
    PipelineServices services,
    IOptionsMonitor<PipelineOptions> pipelineOptions,
    IOptions<SupervisorOptions> supervisorOptions,
    IOptions<NodeOptions> nodeOptions) : BackgroundService
{
    private readonly ConcurrentDictionary<CustomerId, Running> _running = new();
    private readonly ConcurrentDictionary<CustomerId, CustomerActivity> _activity = new();
    private readonly ILogger _logger = services.Logger;

    public string NodeId { get; } = nodeOptions.Value.NodeId;

    /// <summary>Live counters of every customer this node has run since it started.</summary>
    public IReadOnlyList<CustomerActivitySnapshot> Activity() =>
        _activity.Values.Select(a => a.Snapshot()).OrderBy(s => s.Customer.Value, StringComparer.Ordinal).ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.NodeStarted(_logger, NodeId);
        await services.Store.MigrateAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            using var timer = new PeriodicTimer(nodeOptions.Value.RefreshInterval, services.Time);
            do
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAllAsync().ConfigureAwait(false);
            Log.NodeStopped(_logger, NodeId);
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<Customer> customers;
        try
        {
            customers = await services.Store.ListCustomersAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.NodeRefreshFailed(_logger, ex, NodeId);
            return;
        }

        foreach (var (id, running) in _running)
        {
            if (running.Task.IsCompleted && _running.TryRemove(id, out _))
            {
                running.Stop.Dispose();
            }
        }

        foreach (var customer in customers.Where(c => c.State == CustomerState.Active && !_running.ContainsKey(c.Id)))
        {
            Start(customer.Id, stoppingToken);
        }

        foreach (var customer in customers.Where(c => c.State != CustomerState.Active))
        {
            if (_running.TryGetValue(customer.Id, out var running))
            {
                await running.Stop.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private void Start(CustomerId id, CancellationToken stoppingToken)
    {
        var activity = _activity.GetOrAdd(id, static id => new CustomerActivity(id));
        var supervisor = new CustomerSupervisor(
            id, NodeId, customer => PipelineSettings.For(customer, pipelineOptions.CurrentValue), supervisorOptions.Value, services, activity);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[id] = new Running(supervisor.RunAsync(stop.Token), stop);
    }

    private async Task StopAllAsync()
    {
        var running = _running.Values.ToArray();
        foreach (var r in running)
        {
            await r.Stop.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(running.Select(r => r.Task)).ConfigureAwait(false);
        foreach (var r in running)
        {
            r.Stop.Dispose();
        }

        _running.Clear();
    }

    private sealed record Running(Task Task, CancellationTokenSource Stop);
}
