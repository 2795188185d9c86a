using Akka.Actor;
using Archiver.Control;
using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Supervision;

/// <summary>
/// One customer on this node. Its states, one method each:
/// <list type="bullet">
/// <item><see cref="AcquiringLease"/>: takes the customer's lease, retrying on a timer while another node holds it;</item>
/// <item><see cref="Idle"/>: holds the lease without a pipeline and waits for work (<see cref="DueWork"/>);</item>
/// <item><see cref="Running"/>: runs the pipeline until it has been idle for <see cref="PipelineSettings.IdleAfter"/>,
/// applying new throttle limits at once and restarting it gracefully for any other change;</item>
/// <item><see cref="Draining"/>: a stop or a lost lease cancelled the pipeline, which drains and checkpoints;</item>
/// <item><see cref="Parking"/>: Dropbox refused everything of this customer (needs_reauth, storage_full): its state is
/// written to the store, and the actor stops once its claims and lease are handed back;</item>
/// <item><see cref="Releasing"/>: claims and lease go back to the store;</item>
/// <item><see cref="Restarting"/>: the pipeline crashed; after a backoff with jitter the customer is served anew.</item>
/// </list>
/// The lease is renewed by the node's <see cref="LeaseKeeper"/>. The throttle and the counters outlive every pipeline,
/// so a crash or an idle spell never forgets a Retry-After or a rate cut by 429s; the throttle starts at the rate
/// learned earlier when its <see cref="CustomerControl"/> knows one, and while a pipeline runs its rate is reported to
/// the parent (every rate check interval, and when the pipeline ends) for the control to journal when it moved. A
/// parked customer stops rather than staying parked here: the store holds its state, the parent journals it, and the
/// customer is served again once an operator makes it active.
/// </summary>
public sealed class CustomerActor : ReceiveActor, IWithTimers
{
    private const string RetryTimer = "retry";
    private const string RateCheckTimer = "rate-check";

    private readonly CustomerId _id;
    private readonly string _nodeId;
    private readonly SupervisorOptions _options;
    private readonly PipelineServices _services;
    private readonly LeaseKeeper _leases;
    private readonly CustomerActivity _activity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly double? _learnedRate;
    private readonly TimeSpan _rateCheckInterval;
    private PipelineConfiguration _configuration;
    private Customer _customer;
    private Throttle? _throttle;
    private Lease? _lease;
    private IDisposable? _hold;
    private CancellationTokenSource? _waitStop;
    private CancellationTokenSource? _pipelineStop;
    private RunningPipeline? _running;
    private DateTimeOffset _lifeStartedAt;
    private int _consecutiveCrashes;
    private bool _acquiring;
    private bool _stopRequested;
    private bool _restartRequested;
    private string? _leaseLost;
    private bool _parked;
    private CustomerWasParked? _parking;

    public CustomerActor(
        Customer customer,
        string nodeId,
        PipelineConfiguration configuration,
        SupervisorOptions options,
        PipelineServices services,
        LeaseKeeper leases,
        CustomerActivity activity,
        double? learnedRate,
        TimeSpan rateCheckInterval)
    {
        _id = customer.Id;
        _customer = customer;
        _nodeId = nodeId;
        _configuration = configuration;
        _options = options;
        _services = services;
        _leases = leases;
        _activity = activity;
        _logger = services.Logger;
        _learnedRate = learnedRate;
        _rateCheckInterval = rateCheckInterval;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The props of a customer's actor (reflection-built: a node creates thousands of them). Its throttle starts at
    /// <paramref name="learnedRate"/> when given (within the limits in force); its rate is reported every
    /// <paramref name="rateCheckInterval"/> (5 s when not given) while a pipeline runs.
    /// </summary>
    public static Props Props(
        Customer customer,
        string nodeId,
        PipelineConfiguration configuration,
        SupervisorOptions options,
        PipelineServices services,
        LeaseKeeper leases,
        CustomerActivity activity,
        double? learnedRate = null,
        TimeSpan? rateCheckInterval = null) =>
        Akka.Actor.Props.Create(
            typeof(CustomerActor), customer, nodeId, configuration, options, services, leases, activity, learnedRate,
            rateCheckInterval ?? new PersistenceOptions().RateCheckInterval);

    protected override void PreStart() => StartLife();

    protected override void PostStop()
    {
        ReportRate();
        _waitStop?.Cancel();
        _pipelineStop?.Cancel();
        _hold?.Dispose();
        _lifetime.Cancel();
        _activity.Phase(_parked ? PipelinePhases.Parked : PipelinePhases.Stopped);
    }

    private void AcquiringLease()
    {
        Receive<LeaseAcquired>(acquired =>
        {
            _acquiring = false;
            _lease = acquired.Lease;
            if (_stopRequested)
            {
                EndLife();
                return;
            }

            _customer = acquired.Customer; // just read from the store; the node's reconfigurations follow
            EnsureThrottle();
            var self = Self;
            var lost = new LeaseLostException(acquired.Lease, "renewal was refused").Message;
            _hold = _leases.Hold(acquired.Lease, () => self.Tell(new CustomerLeaseLost(acquired.Lease.FencingToken, lost)));
            BecomeIdle(journalStart: true);
        });
        Receive<LeaseHeldElsewhere>(_ =>
        {
            _acquiring = false;
            if (_stopRequested)
            {
                Context.Stop(Self);
                return;
            }

            // Another node holds it: a hand-off releases it within seconds, a dead node's lease runs out.
            _activity.Phase(PipelinePhases.WaitingForLease);
            Timers.StartSingleTimer(RetryTimer, LeaseRetryDue.Instance,
                TimeSpan.FromTicks(Math.Min(_options.LeaseDuration.Ticks / 3, TimeSpan.TicksPerSecond)));
        });
        Receive<LeaseRetryDue>(_ => AcquireLease());
        Receive<CustomerInactive>(_ => Context.Stop(Self));
        Receive<LifeCrashed>(crashed =>
        {
            _acquiring = false;
            Restart(crashed.Cause);
        });
        Receive<CustomerStopRequested>(_ =>
        {
            _stopRequested = true;
            if (!_acquiring)
            {
                Context.Stop(Self); // nothing held yet
            }
        });
        Receive<CustomerReconfigured>(Remember);
        IgnoreWhatAnEndedLifeLeftBehind();
    }

    private void Idle()
    {
        Receive<RateCheckDue>(_ => { }); // sent just before the pipeline ended
        Receive<WorkDue>(_ => StartPipeline());
        Receive<WaitFailed>(failed => EndLife(failed.Cause));
        Receive<CustomerStopRequested>(_ =>
        {
            _stopRequested = true;
            _waitStop?.Cancel();
            Log.PipelineStopped(_logger, _id);
            EndLife();
        });
        Receive<CustomerLeaseLost>(lost => lost.FencingToken == _lease?.FencingToken, lost =>
        {
            _waitStop?.Cancel();
            LeaseWasLost(lost.Reason);
        });
        Receive<CustomerLeaseLost>(_ => { }); // an earlier lease's
        Receive<CustomerReconfigured>(Remember);
    }

    private void Running()
    {
        Receive<PipelineCompleted>(_ => PipelineEnded(null));
        Receive<PipelineFailed>(failed => PipelineEnded(failed.Cause));
        Receive<CustomerStopRequested>(_ =>
        {
            _stopRequested = true;
            _pipelineStop?.Cancel(); // graceful: the source completes, unstarted items go back, uploads under way get the drain timeout, all is checkpointed
            Become(Draining);
        });
        Receive<CustomerLeaseLost>(lost => lost.FencingToken == _lease?.FencingToken, lost =>
        {
            _leaseLost = lost.Reason;
            _pipelineStop?.Cancel();
            Become(Draining);
        });
        Receive<CustomerReconfigured>(ReconfigureRunning);
        Receive<CustomerLeaseLost>(_ => { }); // an earlier lease's
        Receive<RateCheckDue>(_ => ReportRate());
    }

    private void Draining()
    {
        Receive<RateCheckDue>(_ => ReportRate());
        Receive<PipelineCompleted>(_ => PipelineEnded(null));
        Receive<PipelineFailed>(failed => PipelineEnded(failed.Cause));
        Receive<CustomerStopRequested>(_ => _stopRequested = true);
        Receive<CustomerLeaseLost>(lost => lost.FencingToken == _lease?.FencingToken, lost => _leaseLost ??= lost.Reason);
        Receive<CustomerLeaseLost>(_ => { }); // an earlier lease's
        Receive<CustomerReconfigured>(Remember);
    }

    private void Parking()
    {
        Receive<RateCheckDue>(_ => { });
        Receive<CustomerParked>(_ =>
        {
            Context.Parent.Tell(_parking!);
            EndLife();
        });
        Receive<ParkingFailed>(failed =>
        {
            _parked = false;
            EndLife(failed.Cause);
        });
        Receive<CustomerStopRequested>(_ => _stopRequested = true);
        Receive<CustomerReconfigured>(Remember);
        Receive<CustomerLeaseLost>(_ => { }); // the hold is dropped: the claims and the lease go back anyway
    }

    private void Releasing()
    {
        Receive<ClaimsAndLeaseReleased>(released =>
        {
            if (released.Crash is { } crash)
            {
                Restart(crash);
            }
            else
            {
                Context.Stop(Self);
            }
        });
        Receive<CustomerStopRequested>(_ => _stopRequested = true);
        Receive<CustomerReconfigured>(Remember);
        IgnoreWhatAnEndedLifeLeftBehind();
    }

    private void Restarting()
    {
        Receive<RestartJournaled>(journaled =>
        {
            if (_stopRequested)
            {
                Context.Stop(Self);
                return;
            }

            Timers.StartSingleTimer(RetryTimer, RestartDue.Instance, journaled.Delay);
        });
        Receive<RestartDue>(_ => StartLife());
        Receive<CustomerStopRequested>(_ =>
        {
            _stopRequested = true;
            Context.Stop(Self); // nothing held between lives
        });
        Receive<CustomerReconfigured>(Remember);
        IgnoreWhatAnEndedLifeLeftBehind();
    }

    /// <summary>
    /// A wait for work abandoned by a stop or a lost lease still reports its end, and a renewal refused just as the hold
    /// was dropped still reports the loss: nothing to do about either once the life is over.
    /// </summary>
    private void IgnoreWhatAnEndedLifeLeftBehind()
    {
        Receive<RateCheckDue>(_ => { });
        Receive<WorkDue>(_ => { });
        Receive<WaitFailed>(_ => { });
        Receive<CustomerLeaseLost>(_ => { });
    }

    /// <summary>One life of the customer on this node: lease, serve, hand everything back.</summary>
    private void StartLife()
    {
        _lifeStartedAt = _services.Time.GetUtcNow();
        Become(AcquiringLease);
        AcquireLease();
    }

    private void AcquireLease()
    {
        _acquiring = true;
        AcquireAsync(_lifetime.Token).PipeTo(Self, success: outcome => outcome, failure: ex => new LifeCrashed(ex));
    }

    private async Task<object> AcquireAsync(CancellationToken cancellationToken)
    {
        var customer = await _services.Store.GetCustomerAsync(_id, cancellationToken).ConfigureAwait(false);
        if (customer is null || customer.State != CustomerState.Active)
        {
            return CustomerInactive.Instance;
        }

        var lease = await _services.Store.AcquireLeaseAsync(_id, _nodeId, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        return lease is null ? LeaseHeldElsewhere.Instance : new LeaseAcquired(customer, lease);
    }

    /// <summary>Waits for work without a pipeline; a new lease and a reconfiguration are journaled first, coming back from idle is not.</summary>
    private void BecomeIdle(bool journalStart)
    {
        var settings = _configuration.For(_customer);
        _activity.Phase(PipelinePhases.Idle);
        _waitStop?.Dispose();
        _waitStop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        WaitForWorkAsync(_lease!, settings, journalStart, _waitStop.Token)
            .PipeTo(Self, success: () => WorkDue.Instance, failure: ex => new WaitFailed(ex));
        Become(Idle);
    }

    private async Task WaitForWorkAsync(Lease lease, PipelineSettings settings, bool journalStart, CancellationToken cancellationToken)
    {
        if (journalStart)
        {
            Log.PipelineStarted(_logger, _id, lease.FencingToken, settings.Parallelism, settings.Throttle.RatePerSecond);
            await _services.Store.AppendEventsAsync(
                [new NewEvent(EventTypes.PipelineStarted, _id,
                    $"fencing token {lease.FencingToken}, parallelism {settings.Parallelism}, rate {settings.Throttle.RatePerSecond}/s")],
                cancellationToken).ConfigureAwait(false);
        }

        await DueWork.WaitAsync(_services, _id, settings.PollInterval, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
    }

    private void StartPipeline()
    {
        var settings = _configuration.For(_customer); // a reconfiguration may have come while waiting for work
        var throttle = EnsureThrottle();
        throttle.UpdateLimits(settings.Throttle);
        _running = new RunningPipeline(_customer, settings);
        _pipelineStop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _activity.Phase(PipelinePhases.Running);
        Timers.StartPeriodicTimer(RateCheckTimer, RateCheckDue.Instance, _rateCheckInterval);
        CustomerStream.RunAsync(NodeMaterializer.For(Context.System), _customer, _lease!, settings, _services, throttle, _activity, _pipelineStop.Token)
            .PipeTo(Self, success: () => PipelineCompleted.Instance, failure: ex => new PipelineFailed(ex));
        Become(Running);
    }

    /// <summary>The pipeline returned (idle, stopped, restarted by a reconfiguration) or failed.</summary>
    private void PipelineEnded(Exception? failure)
    {
        Timers.Cancel(RateCheckTimer);
        ReportRate();
        _pipelineStop?.Dispose();
        _pipelineStop = null;
        _running = null;
        var planned = failure is null || (failure is OperationCanceledException && (_stopRequested || _restartRequested || _leaseLost is not null));
        if (failure is CustomerBlockedException blocked)
        {
            Park(blocked);
        }
        else if (failure is LeaseLostException lost)
        {
            LeaseWasLost(lost.Message);
        }
        else if (_leaseLost is { } reason)
        {
            LeaseWasLost(reason);
        }
        else if (!planned)
        {
            EndLife(failure);
        }
        else if (_stopRequested)
        {
            Log.PipelineStopped(_logger, _id);
            EndLife();
        }
        else
        {
            var journal = _restartRequested;
            _restartRequested = false;
            BecomeIdle(journal);
        }
    }

    private void Park(CustomerBlockedException blocked)
    {
        Log.CustomerParked(_logger, _id, blocked.State, blocked.Message);
        _parked = true;
        _parking = new CustomerWasParked(blocked.State, blocked.Message);
        DropHold();
        _services.Store.SetCustomerStateAsync(_id, blocked.State, blocked.Message, _lifetime.Token)
            .PipeTo(Self, success: () => CustomerParked.Instance, failure: ex => new ParkingFailed(ex));
        Become(Parking);
    }

    private void LeaseWasLost(string reason)
    {
        Log.LeaseLost(_logger, _id, reason);
        EndLife(journal: new NewEvent(EventTypes.LeaseLost, _id, reason));
    }

    /// <summary>Hands back whatever is still claimed and gives up the lease; then stops, or restarts after a crash.</summary>
    private void EndLife(Exception? crash = null, NewEvent? journal = null)
    {
        DropHold();
        var lease = _lease!;
        _lease = null;
        HandBackAsync(lease, journal).PipeTo(Self, success: () => new ClaimsAndLeaseReleased(crash));
        Become(Releasing);
    }

    private async Task HandBackAsync(Lease lease, NewEvent? journal)
    {
        if (journal is not null)
        {
            await TryJournalAsync(journal).ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _services.Time);
        try
        {
            await _services.Store.ReleaseClaimsAsync(lease, timeout.Token).ConfigureAwait(false);
            await _services.Store.ReleaseLeaseAsync(lease, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease expires on its own and the next owner returns the claims.
            Log.ReleaseFailed(_logger, ex, _id);
        }
    }

    /// <summary>Journals a crash and waits with exponential backoff and jitter before the next life.</summary>
    private void Restart(Exception crash)
    {
        _consecutiveCrashes = _services.Time.GetUtcNow() - _lifeStartedAt >= _options.StableAfter ? 1 : _consecutiveCrashes + 1;
        var delay = RetryDelay.For(_consecutiveCrashes, _options.RestartBaseDelay, _options.RestartMaxDelay);
        _activity.Phase(PipelinePhases.Restarting);
        _activity.Restarted(crash.Message);
        Log.PipelineCrashed(_logger, crash, _id, _consecutiveCrashes, delay);
        TryJournalAsync(new NewEvent(EventTypes.PipelineRestarted, _id,
                $"crashed ({crash.GetType().Name}: {crash.Message}); restart #{_consecutiveCrashes} in {delay.TotalSeconds:0.#} s"))
            .PipeTo(Self, success: () => new RestartJournaled(delay));
        Become(Restarting);
    }

    /// <summary>
    /// Takes a new configuration and maybe a fresher customer record while no pipeline runs: only the throttle is alive
    /// to take new limits (a node-wide reload reaches every idle customer, so it is touched only when they changed).
    /// </summary>
    private void Remember(CustomerReconfigured reconfigured)
    {
        var previousLimits = _configuration.For(_customer).Throttle;
        _configuration = reconfigured.Configuration;
        _customer = reconfigured.Customer ?? _customer;
        if (_running is null && _throttle is not null && _configuration.For(_customer).Throttle is var limits && limits != previousLimits)
        {
            _throttle.UpdateLimits(limits);
            Log.ThrottleReconfigured(_logger, _id, limits.RatePerSecond, limits.Burst);
        }
    }

    /// <summary>New throttle limits reach the running pipeline at once; any other change restarts it gracefully under the same lease.</summary>
    private void ReconfigureRunning(CustomerReconfigured reconfigured)
    {
        _configuration = reconfigured.Configuration;
        _customer = reconfigured.Customer ?? _customer;
        if (_running is not { } running || _restartRequested)
        {
            return; // the next pipeline start reads the new values
        }

        var settings = _configuration.For(_customer);
        var sameCustomer = _customer with { Tuning = running.Customer.Tuning } == running.Customer; // tuning shows in the settings
        if (settings == running.Settings && sameCustomer)
        {
            return;
        }

        if (settings with { Throttle = running.Settings.Throttle } == running.Settings && sameCustomer)
        {
            _throttle?.UpdateLimits(settings.Throttle);
            _running = running with { Settings = settings };
            Log.ThrottleReconfigured(_logger, _id, settings.Throttle.RatePerSecond, settings.Throttle.Burst);
            return;
        }

        _restartRequested = true;
        Log.PipelineReconfiguring(_logger, _id);
        _pipelineStop?.Cancel();
    }

    /// <summary>The customer's throttle, created the first time it is served: it outlives every pipeline.</summary>
    private Throttle EnsureThrottle()
    {
        if (_throttle is null)
        {
            _throttle = new Throttle(_configuration.For(_customer).Throttle, _services.Time);
            if (_learnedRate is { } learned)
            {
                _throttle.ResumeAt(learned); // where the customer left off, never above the ceiling in force
            }

            _activity.UseThrottle(_throttle);
        }

        return _throttle;
    }

    /// <summary>Tells the parent (the customer's <see cref="CustomerControl"/>) the throttle's rate, for it to journal when it moved.</summary>
    private void ReportRate()
    {
        if (_throttle is { } throttle)
        {
            Context.Parent.Tell(new ThrottleRateObserved(throttle.CurrentRate, _configuration.For(_customer).Throttle.RatePerSecond));
        }
    }

    private void DropHold()
    {
        _hold?.Dispose();
        _hold = null;
    }

    private async Task TryJournalAsync(NewEvent entry)
    {
        try
        {
            await _services.Store.AppendEventsAsync([entry], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.JournalFailed(_logger, ex, _id, entry.Type);
        }
    }

    /// <summary>The pipeline running now: whom it runs for, and with what.</summary>
    private sealed record RunningPipeline(Customer Customer, PipelineSettings Settings);

    private sealed record LeaseAcquired(Customer Customer, Lease Lease);

    private sealed record LeaseHeldElsewhere
    {
        public static LeaseHeldElsewhere Instance { get; } = new();
    }

    private sealed record LeaseRetryDue
    {
        public static LeaseRetryDue Instance { get; } = new();
    }

    /// <summary>The customer is gone, paused or parked: nothing to serve.</summary>
    private sealed record CustomerInactive
    {
        public static CustomerInactive Instance { get; } = new();
    }

    private sealed record LifeCrashed(Exception Cause);

    private sealed record WorkDue
    {
        public static WorkDue Instance { get; } = new();
    }

    private sealed record WaitFailed(Exception Cause);

    private sealed record PipelineCompleted
    {
        public static PipelineCompleted Instance { get; } = new();
    }

    private sealed record PipelineFailed(Exception Cause);

    private sealed record CustomerParked
    {
        public static CustomerParked Instance { get; } = new();
    }

    private sealed record ParkingFailed(Exception Cause);

    private sealed record ClaimsAndLeaseReleased(Exception? Crash);

    private sealed record RestartJournaled(TimeSpan Delay);

    private sealed record RestartDue
    {
        public static RestartDue Instance { get; } = new();
    }

    private sealed record RateCheckDue
    {
        public static RateCheckDue Instance { get; } = new();
    }
}
