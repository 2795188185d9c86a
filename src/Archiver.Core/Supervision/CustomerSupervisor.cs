using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Supervision;

/// <summary>
/// Keeps one customer's pipeline alive on this node, the way an actor supervisor would:
/// <list type="bullet">
/// <item>takes the customer's lease and has the node's <see cref="LeaseKeeper"/> renew it while it serves the
/// customer (a lost lease stops everything);</item>
/// <item>runs the pipeline while there is work, and takes it down once it has been idle for
/// <see cref="PipelineSettings.IdleAfter"/>, waiting for work without it (<see cref="DueWork"/>): a quiet customer
/// costs a wait, a throttle and its counters, not a set of workers;</item>
/// <item>restarts a crashed pipeline with exponential backoff and jitter, after returning its in-flight claims,
/// and journals every restart;</item>
/// <item>parks the customer (needs_reauth, storage_full) when Dropbox says nothing of theirs can upload, and stops;</item>
/// <item>applies configuration changes to the running pipeline: new throttle limits at once, anything else by a
/// graceful restart of the pipeline under the same lease;</item>
/// <item>never lets an exception out: one customer's trouble never reaches another's.</item>
/// </list>
/// </summary>
public sealed class CustomerSupervisor(
    CustomerId customerId,
    string nodeId,
    PipelineConfiguration configuration,
    SupervisorOptions options,
    PipelineServices services,
    LeaseKeeper leases,
    CustomerActivity activity)
{
    private readonly IArchiveStore _store = services.Store;
    private readonly ILogger _logger = services.Logger;
    private readonly TimeProvider _time = services.Time;
    private readonly Lock _lock = new();
    private PipelineConfiguration _configuration = configuration;
    private Customer? _latestCustomer;
    private Running? _running;
    private bool _restartRequested;
    private Throttle? _throttle;
    private bool _parked;

    public CustomerId Customer { get; } = customerId;

    /// <summary>
    /// Takes a new configuration and, when known, a fresher record of the customer. The throttle gets new limits at
    /// once; any other change (parallelism, batch sizes, path template, credentials) stops a running pipeline
    /// gracefully and starts it again with the new settings, keeping the lease. A pipeline that is down for want of
    /// work starts with them when work arrives.
    /// </summary>
    public void Reconfigure(PipelineConfiguration configuration, Customer? customer = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        lock (_lock)
        {
            var previousLimits = _latestCustomer is { } known ? _configuration.For(known).Throttle : null;
            _configuration = configuration;
            _latestCustomer = customer ?? _latestCustomer;
            if (_running is null && _throttle is not null && _latestCustomer is { } idle
                && configuration.For(idle).Throttle is var limits && limits != previousLimits)
            {
                // Idle: only the throttle is alive to take it (and a node-wide reload reaches every idle customer).
                _throttle.UpdateLimits(limits);
                Log.ThrottleReconfigured(_logger, Customer, limits.RatePerSecond, limits.Burst);
            }

            if (_running is not { } running || _restartRequested)
            {
                return; // the next pipeline start reads the new values
            }

            var latest = _latestCustomer ?? running.Customer;
            var settings = configuration.For(latest);
            var sameCustomer = latest with { Tuning = running.Customer.Tuning } == running.Customer; // tuning shows in the settings
            if (settings == running.Settings && sameCustomer)
            {
                return;
            }

            if (settings with { Throttle = running.Settings.Throttle } == running.Settings && sameCustomer)
            {
                _throttle?.UpdateLimits(settings.Throttle);
                _running = running with { Settings = settings };
                Log.ThrottleReconfigured(_logger, Customer, settings.Throttle.RatePerSecond, settings.Throttle.Burst);
                return;
            }

            _restartRequested = true;
            Log.PipelineReconfiguring(_logger, Customer);
            running.Stop.Cancel();
        }
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> fires, the customer is parked or no longer active, or the lease is lost.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var consecutiveCrashes = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var startedAt = _time.GetUtcNow();
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                consecutiveCrashes = _time.GetUtcNow() - startedAt >= options.StableAfter ? 1 : consecutiveCrashes + 1;
                if (!await BackOffAsync(ex, consecutiveCrashes, stoppingToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }

        activity.Phase(_parked ? PipelinePhases.Parked : PipelinePhases.Stopped);
    }

    /// <summary>One life of the pipeline: lease, run, and hand everything back however it ends.</summary>
    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var customer = await _store.GetCustomerAsync(Customer, stoppingToken).ConfigureAwait(false);
        if (customer is null || customer.State != CustomerState.Active)
        {
            return;
        }

        var lease = await AcquireLeaseAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await ServeAsync(customer, lease, stoppingToken).ConfigureAwait(false);
            Log.PipelineStopped(_logger, Customer);
        }
        catch (CustomerBlockedException blocked)
        {
            Log.CustomerParked(_logger, Customer, blocked.State, blocked.Message);
            _parked = true;
            await _store.SetCustomerStateAsync(Customer, blocked.State, blocked.Message, stoppingToken).ConfigureAwait(false);
        }
        catch (LeaseLostException lost)
        {
            Log.LeaseLost(_logger, Customer, lost.Message);
            await TryJournalAsync(new NewEvent(EventTypes.LeaseLost, Customer, lost.Message)).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Serves the customer under <paramref name="lease"/> until <paramref name="stoppingToken"/> fires: waits for work,
    /// runs the pipeline until it has been idle for <see cref="PipelineSettings.IdleAfter"/> (or a reconfiguration
    /// restarts it), and waits again. The lease is renewed all along; when a renewal is refused everything stops and
    /// <see cref="LeaseLostException"/> is thrown.
    /// </summary>
    private async Task ServeAsync(Customer customer, Lease lease, CancellationToken stoppingToken)
    {
        lock (_lock)
        {
            _latestCustomer = customer; // just read from the store; the node's reconfigurations follow
        }

        using var serving = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var lost = false;
        using (leases.Hold(lease, () =>
        {
            Volatile.Write(ref lost, true);
            try
            {
                serving.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // serving had ended anyway
            }
        }))
        {
            var journal = true; // a new lease and a reconfiguration are journaled; coming back from idle is not
            while (!serving.IsCancellationRequested)
            {
                var settings = CurrentSettings(ref customer);
                if (journal)
                {
                    await JournalStartAsync(lease, settings, stoppingToken).ConfigureAwait(false);
                }

                activity.Phase(PipelinePhases.Idle);
                try
                {
                    await DueWork.WaitAsync(services, Customer, settings.PollInterval, Timeout.InfiniteTimeSpan, serving.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (serving.IsCancellationRequested)
                {
                    break;
                }

                await RunPipelineAsync(customer, lease, serving.Token).ConfigureAwait(false);
                journal = TakeRestartRequest();
            }
        }

        if (Volatile.Read(ref lost))
        {
            throw new LeaseLostException(lease, "renewal was refused");
        }
    }

    /// <summary>Runs the pipeline until it stops: idle, stopped, or restarted by a reconfiguration.</summary>
    private async Task RunPipelineAsync(Customer customer, Lease lease, CancellationToken stoppingToken)
    {
        using var pipelineStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        PipelineSettings settings;
        Throttle throttle;
        lock (_lock)
        {
            // A reconfiguration may have come while waiting for work: start with what it brought.
            settings = CurrentSettings(ref customer);
            throttle = _throttle!;
            throttle.UpdateLimits(settings.Throttle);
            _running = new Running(customer, settings, pipelineStop);
        }

        activity.Phase(PipelinePhases.Running);
        try
        {
            await new CustomerPipeline(customer, lease, settings, services, throttle, activity)
                .RunAsync(pipelineStop.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _running = null;
            }
        }
    }

    /// <summary>
    /// Moves <paramref name="customer"/> to the freshest record the node gave, and returns the settings in force for it.
    /// Creates the throttle the first time: it outlives every pipeline, so a crash or an idle spell never forgets a
    /// Retry-After or a rate cut by 429s.
    /// </summary>
    private PipelineSettings CurrentSettings(ref Customer customer)
    {
        lock (_lock)
        {
            customer = _latestCustomer ?? customer;
            var settings = _configuration.For(customer);
            if (_throttle is null)
            {
                _throttle = new Throttle(settings.Throttle, _time);
                activity.UseThrottle(_throttle);
            }

            return settings;
        }
    }

    private async Task JournalStartAsync(Lease lease, PipelineSettings settings, CancellationToken cancellationToken)
    {
        Log.PipelineStarted(_logger, Customer, lease.FencingToken, settings.Parallelism, settings.Throttle.RatePerSecond);
        await _store.AppendEventsAsync(
            [new NewEvent(EventTypes.PipelineStarted, Customer,
                $"fencing token {lease.FencingToken}, parallelism {settings.Parallelism}, rate {settings.Throttle.RatePerSecond}/s")],
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<Lease> AcquireLeaseAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var lease = await _store.AcquireLeaseAsync(Customer, nodeId, options.LeaseDuration, stoppingToken).ConfigureAwait(false);
            if (lease is not null)
            {
                return lease;
            }

            // Another node holds it: a hand-off releases it within seconds, a dead node's lease runs out.
            activity.Phase(PipelinePhases.WaitingForLease);
            await Task.Delay(TimeSpan.FromTicks(Math.Min(options.LeaseDuration.Ticks / 3, TimeSpan.TicksPerSecond)), _time, stoppingToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Journals a crash and waits before the next restart. False when the node stopped meanwhile.</summary>
    private async Task<bool> BackOffAsync(Exception crash, int consecutiveCrashes, CancellationToken stoppingToken)
    {
        var delay = RetryDelay.For(consecutiveCrashes, options.RestartBaseDelay, options.RestartMaxDelay);
        activity.Phase(PipelinePhases.Restarting);
        activity.Restarted(crash.Message);
        Log.PipelineCrashed(_logger, crash, Customer, consecutiveCrashes, delay);
        await TryJournalAsync(new NewEvent(EventTypes.PipelineRestarted, Customer,
            $"crashed ({crash.GetType().Name}: {crash.Message}); restart #{consecutiveCrashes} in {delay.TotalSeconds:0.#} s")).ConfigureAwait(false);
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Hands back whatever is still claimed and gives up the lease, even while the node is stopping.</summary>
    private async Task ReleaseAsync(Lease lease)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
        try
        {
            await _store.ReleaseClaimsAsync(lease, timeout.Token).ConfigureAwait(false);
            await _store.ReleaseLeaseAsync(lease, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease expires on its own and the next owner returns the claims.
            Log.ReleaseFailed(_logger, ex, Customer);
        }
    }

    private bool TakeRestartRequest()
    {
        lock (_lock)
        {
            var requested = _restartRequested;
            _restartRequested = false;
            return requested;
        }
    }

    private async Task TryJournalAsync(NewEvent entry)
    {
        try
        {
            await _store.AppendEventsAsync([entry], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.JournalFailed(_logger, ex, Customer, entry.Type);
        }
    }

    /// <summary>The pipeline running now: whom it runs for, with what, and how to stop it.</summary>
    private sealed record Running(Customer Customer, PipelineSettings Settings, CancellationTokenSource Stop);
}
