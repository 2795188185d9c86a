using System.Collections.Concurrent;
using Archiver.Cluster;
using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Archiver.Node;

/// <summary>
/// The node. Every refresh it heartbeats into the shared store, works out which live nodes there are, and runs one
/// <see cref="CustomerSupervisor"/> for each active customer that rendezvous hashing gives to it. A customer that
/// moves to another node (a node joined, or this one came back) is handed over gracefully: its pipeline drains and
/// checkpoints, the lease is released, and the new owner takes it at once. The customers of a node that died move once
/// its heartbeat is older than <see cref="NodeOptions.NodeTimeout"/>; their new owner can start them when the dead
/// node's leases expire. On shutdown every pipeline drains and the node leaves the cluster.
/// <para>
/// The node is <paramref name="identity"/> when given (its data directory's, or the configured id it holds the
/// directory under), else <see cref="NodeOptions.NodeId"/>. A node restarted under the same id takes its own leases
/// back at once, each with a new fencing token, so nothing its previous incarnation left in flight can be written.
/// </para>
/// </summary>
public sealed class ArchiverNode(
    PipelineServices services,
    PipelineConfiguration pipelineConfiguration,
    IOptions<SupervisorOptions> supervisorOptions,
    IOptions<NodeOptions> nodeOptions,
    NodeIdentity? identity = null) : BackgroundService
{
    private readonly ConcurrentDictionary<CustomerId, Running> _running = new();
    private readonly ConcurrentDictionary<CustomerId, CustomerActivity> _activity = new();
    private readonly ILogger _logger = services.Logger;
    private readonly NodeOptions _options = nodeOptions.Value;
    private readonly LeaseKeeper _leases = new(services.Store, supervisorOptions.Value.LeaseDuration, services.Time, services.Logger);
    private PipelineConfiguration _configuration = pipelineConfiguration;
    private string[] _liveNodes = [];
    private IReadOnlyList<Customer> _customers = [];
    private long? _customersVersion;
    private long _archivedAtLastHeartbeat;
    private DateTimeOffset _lastHeartbeatAt;

    public string NodeId { get; } = identity?.Id is { Length: > 0 } id ? id
        : nodeOptions.Value.NodeId is { Length: > 0 } configured ? configured
        : throw new ArgumentException("A node needs an id: NodeOptions.NodeId or a NodeIdentity.", nameof(nodeOptions));

    public DateTimeOffset StartedAt { get; } = services.Time.GetUtcNow();

    /// <summary>
    /// Where this node's admin API is reached, as its heartbeat tells the cluster: <see cref="NodeOptions.Address"/>
    /// when configured, else what the API reports once it listens.
    /// </summary>
    public string Address { get; set; } = nodeOptions.Value.Address;

    /// <summary>The pipeline configuration in force.</summary>
    public PipelineConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>Live counters of every customer this node has run since it started.</summary>
    public IReadOnlyList<CustomerActivitySnapshot> Activity() =>
        _activity.Values.Select(a => a.Snapshot()).OrderBy(s => s.Customer.Value, StringComparer.Ordinal).ToArray();

    /// <summary>The customers whose pipelines run on this node now.</summary>
    public IReadOnlyList<CustomerId> OwnedCustomers() => _running.Keys.OrderBy(id => id.Value, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Puts a new, already validated pipeline configuration in force: running pipelines get new throttle limits at
    /// once and restart gracefully for anything else; pipelines started later read it.
    /// </summary>
    public void Reconfigure(PipelineConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Volatile.Write(ref _configuration, configuration);
        foreach (var running in _running.Values)
        {
            running.Supervisor.Reconfigure(configuration);
        }

        Log.ConfigurationApplied(_logger, NodeId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.NodeStarted(_logger, NodeId);
        await services.Store.MigrateAsync(stoppingToken).ConfigureAwait(false);
        using var leasesStop = new CancellationTokenSource();
        var leaseKeeping = _leases.RunAsync(leasesStop.Token);
        try
        {
            using var timer = new PeriodicTimer(_options.RefreshInterval, services.Time);
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
            await StopAllAsync().ConfigureAwait(false); // leases stay renewed while pipelines drain
            await leasesStop.CancelAsync().ConfigureAwait(false);
            await leaseKeeping.ConfigureAwait(false);
            await LeaveAsync().ConfigureAwait(false);
            Log.NodeStopped(_logger, NodeId);
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<Customer> customers;
        IReadOnlyList<string> liveNodes;
        try
        {
            await HeartbeatAsync(stoppingToken).ConfigureAwait(false);
            liveNodes = await LiveNodesAsync(stoppingToken).ConfigureAwait(false);
            customers = await CustomersAsync(stoppingToken).ConfigureAwait(false);
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

        var configuration = Configuration;
        foreach (var customer in customers)
        {
            var owner = customer.State == CustomerState.Active ? Rendezvous.Owner(customer.Id.Value, liveNodes) : null;
            var runningHere = _running.TryGetValue(customer.Id, out var running);
            if (owner == NodeId)
            {
                if (runningHere)
                {
                    if (running!.SeenCustomer != customer || running.SeenConfiguration != configuration)
                    {
                        running.Supervisor.Reconfigure(configuration, customer);
                        _running[customer.Id] = running with { SeenCustomer = customer, SeenConfiguration = configuration };
                    }
                }
                else
                {
                    Start(customer, configuration, stoppingToken);
                }
            }
            else if (runningHere && !running!.Stop.IsCancellationRequested)
            {
                if (owner is not null)
                {
                    Log.CustomerHandedOver(_logger, NodeId, customer.Id, owner);
                }

                await running.Stop.CancelAsync().ConfigureAwait(false); // drains, checkpoints and releases the lease
            }
        }
    }

    /// <summary>
    /// Every customer, listed again only when the store's customers version moved since the last listing: ten
    /// thousand idle customers cost one small read per refresh, not ten thousand rows.
    /// </summary>
    private async Task<IReadOnlyList<Customer>> CustomersAsync(CancellationToken cancellationToken)
    {
        var version = await services.Store.GetCustomersVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version != _customersVersion)
        {
            _customers = await services.Store.ListCustomersAsync(cancellationToken).ConfigureAwait(false);
            _customersVersion = version; // read before the listing: a change in between only lists once more
        }

        return _customers;
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var archived = _activity.Values.Sum(a => a.ArchivedCount);
        var elapsed = (now - _lastHeartbeatAt).TotalSeconds;
        var itemsPerSecond = _lastHeartbeatAt == default || elapsed <= 0 ? 0 : (archived - _archivedAtLastHeartbeat) / elapsed;
        await services.Store.HeartbeatAsync(new NodeHeartbeat(NodeId, Address, StartedAt, itemsPerSecond), cancellationToken)
            .ConfigureAwait(false);
        _archivedAtLastHeartbeat = archived;
        _lastHeartbeatAt = now;
    }

    /// <summary>Nodes whose heartbeat is recent, this one always among them, in id order.</summary>
    private async Task<IReadOnlyList<string>> LiveNodesAsync(CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var nodes = await services.Store.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var live = nodes.Where(n => n.IsAlive(now, _options.NodeTimeout)).Select(n => n.NodeId)
            .Append(NodeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (!live.SequenceEqual(_liveNodes, StringComparer.Ordinal))
        {
            _liveNodes = live;
            Log.MembershipChanged(_logger, NodeId, live.Length, string.Join(", ", live));
        }

        return live;
    }

    private void Start(Customer customer, PipelineConfiguration configuration, CancellationToken stoppingToken)
    {
        var id = customer.Id;
        var activity = _activity.GetOrAdd(id, static (id, time) => new CustomerActivity(id, time), services.Time);
        var supervisor = new CustomerSupervisor(id, NodeId, configuration, supervisorOptions.Value, services, _leases, activity);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[id] = new Running(supervisor, supervisor.RunAsync(stop.Token), stop, customer, configuration);
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

    /// <summary>Leaves the cluster so the others take this node's customers at once rather than after the timeout.</summary>
    private async Task LeaveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), services.Time);
        try
        {
            await services.Store.LeaveClusterAsync(NodeId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.NodeRefreshFailed(_logger, ex, NodeId);
        }
    }

    /// <summary>A supervisor of this node, and the customer record and configuration it was last given.</summary>
    private sealed record Running(
        CustomerSupervisor Supervisor, Task Task, CancellationTokenSource Stop, Customer SeenCustomer, PipelineConfiguration SeenConfiguration);
}
