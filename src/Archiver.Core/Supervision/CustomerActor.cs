using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Pipeline;
using Archiver.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Archiver.Core.Supervision;

/// <summary>
/// One customer: an entity of the cluster's sharding (<see cref="CustomerSharding"/>), so it runs on exactly one node
/// at a time and moves when nodes join, leave or die. One actor, whatever the customer is doing, so ten thousand idle
/// customers cost ten thousand small actors and nothing more. It keeps the customer's durable control state, journaled through
/// Akka.Persistence under the customer's id (stable on every node): its lifecycle — active, paused by an operator,
/// parked because Dropbox refused it — and the rate its throttle learned from Dropbox's 429s. While the customer is
/// active it serves it, one <em>life</em> at a time: lease, wait for work, run the pipeline, hand everything back.
/// <para>Its states, one method each:</para>
/// <list type="bullet">
/// <item><see cref="Loading"/>: its journal recovered, it reads the customer's record from the store;</item>
/// <item><see cref="Unknown"/>: no such customer in the store; the shard is asked to stop this actor;</item>
/// <item><see cref="NotServed"/>: the customer is paused or parked: no lease, no pipeline;</item>
/// <item><see cref="AcquiringLease"/>: takes the customer's lease, retrying on a timer while another node holds it;</item>
/// <item><see cref="Idle"/>: holds the lease without a pipeline and waits for work: an enqueue's wake-up, or a timer
/// for the earliest pending item or the poll;</item>
/// <item><see cref="Running"/>: runs the pipeline until it has been idle for <see cref="PipelineSettings.IdleAfter"/>,
/// applying new throttle limits at once and restarting it gracefully for any other change;</item>
/// <item><see cref="Draining"/>: a stop, a pause or a lost lease cancelled the pipeline, which drains and checkpoints;</item>
/// <item><see cref="Releasing"/>: claims and lease go back to the store;</item>
/// <item><see cref="Restarting"/>: the pipeline crashed (or the lease was lost); after a backoff the next life starts.</item>
/// </list>
/// <para>
/// The journal is the source of truth for the lifecycle and the learned rate; the store's customers table is their read
/// model, which this actor writes after journaling (and repairs on recovery when it differs). An operator's command
/// reaches it as a <see cref="LifecycleCommand"/>, wherever in the cluster it runs; a change of the customers table it
/// did not make itself, seen when the record is read again (an operator's command that reached no actor in time, and
/// was written to the table instead), is journaled as that command. A customer without a journal yet (new, or from
/// before this journal existed) starts from the table, a paused or parked state found there journaled. Dropbox refusing the
/// customer (needs_reauth, storage_full) parks it: journaled, written to the store, served again once an operator
/// resumes it.
/// </para>
/// <para>
/// The lease is renewed by the node's <see cref="LeaseKeeper"/>. The throttle and the counters outlive every pipeline
/// and every life, so a crash or an idle spell never forgets a Retry-After or what it learned; a new throttle holds just
/// below the journaled limit. The limit is journaled only when it moved by 2 % or more since the last record, looked at every
/// <see cref="PersistenceOptions.RateCheckInterval"/> while a pipeline runs and once more when it ends: never per item.
/// Every <see cref="PersistenceOptions.SnapshotEvery"/> events the state is snapshotted and the events before it deleted.
/// </para>
/// </summary>
public sealed class CustomerActor : UntypedPersistentActor, IWithTimers
{
    private const string RetryTimer = "retry";
    private const string RateCheckTimer = "rate-check";
    private const string WaitTimer = "wait";
    private const double MaterialChange = 0.02;

    private readonly CustomerId _id;
    private readonly string _nodeId;
    private readonly SupervisorOptions _options;
    private readonly PersistenceOptions _persistence;
    private readonly PipelineServices _services;
    private readonly LeaseKeeper _leases;
    private readonly CustomerActivity _activity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private CustomerControlState _state = CustomerControlState.Unrecorded;
    private PipelineConfiguration _configuration;
    private Customer _customer = null!; // read from the store once the journal has recovered (Loading)
    private Throttle? _throttle;
    private Lease? _lease;
    private IDisposable? _hold;
    private Action? _wake;       // registered with the node's WorkSignal while idle
    private int _waitGeneration; // tells this idle spell's messages from an earlier one's
    private CancellationTokenSource? _pipelineStop;
    private RunningPipeline? _running;
    private DateTimeOffset _lifeStartedAt;
    private int _consecutiveCrashes;
    private bool _inLife;
    private bool _acquiring;
    private bool _stopRequested;
    private bool _restartRequested;
    private bool _renewalRefused; // the keeper reported the lease lost (and journaled it) while a pipeline ran

    public CustomerActor(
        CustomerId customer,
        string nodeId,
        PipelineConfiguration configuration,
        SupervisorOptions options,
        PersistenceOptions persistence,
        PipelineServices services,
        LeaseKeeper leases,
        CustomerActivity activity)
    {
        _id = customer;
        _nodeId = nodeId;
        _configuration = configuration;
        _options = options;
        _persistence = persistence;
        _services = services;
        _leases = leases;
        _activity = activity;
        _logger = services.Logger;
        Become(Loading);
    }

    public override string PersistenceId => _id.Value;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Whether the customer is to be served now: it is active, and the node has not asked this actor to stop.</summary>
    private bool ShouldServe => !_stopRequested && _state.Lifecycle == CustomerState.Active;

    /// <summary>The props of a customer's actor (reflection-built: a node creates thousands of them).</summary>
    public static Props Props(
        CustomerId customer,
        string nodeId,
        PipelineConfiguration configuration,
        SupervisorOptions options,
        PersistenceOptions persistence,
        PipelineServices services,
        LeaseKeeper leases,
        CustomerActivity activity) =>
        Akka.Actor.Props.Create(typeof(CustomerActor), customer, nodeId, configuration, options, persistence, services, leases, activity);

    protected override void PreStart()
    {
        _activity.Hosted(true);
        base.PreStart();
    }

    protected override void PostStop()
    {
        _activity.Hosted(false);
        if (_wake is { } wake)
        {
            _services.Signal.CancelWake(_id, wake); // its timers die with it
        }

        _pipelineStop?.Cancel();
        _hold?.Dispose();
        _lifetime.Cancel();
        _activity.Phase(IsParked ? PipelinePhases.Parked : PipelinePhases.Stopped);
        base.PostStop();
    }

    private bool IsParked => _state.Lifecycle is not CustomerState.Active and not CustomerState.Paused;

    // ---- states ----

    // Each state is a method that handles a message or passes it on; Become swaps one for another. (Unlike a
    // ReceivePersistentActor, this builds no handler objects per actor and per state: ten thousand idle customers
    // would otherwise hold some 26 MB of them.)

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: CustomerControlState snapshot }:
                _state = snapshot;
                break;
            case ICustomerControlEvent change:
                _state = _state.Apply(change);
                break;
            case RecoveryCompleted:
                Load();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>The first state's; the constructor's <c>Become(Loading)</c> makes <see cref="Loading"/> the handler itself.</summary>
    protected override void OnCommand(object message) => Loading(message);

    /// <summary>Reading the customer's record; whatever else arrives waits for it.</summary>
    private void Loading(object message)
    {
        switch (message)
        {
            case CustomerLoaded { Customer: null }:
                Archiver.Core.Log.CustomerUnknown(_logger, _id);
                Context.Parent.Tell(new Passivate(PoisonPill.Instance)); // a sharded entity for no customer: forgotten
                Stash.UnstashAll();
                Become(Unknown);
                break;
            case CustomerLoaded loaded:
                _customer = loaded.Customer;
                Stash.UnstashAll();
                Become(NotServed);
                Recovered();
                break;
            case LoadFailed failed:
                Archiver.Core.Log.CustomerLoadFailed(_logger, failed.Cause, _id);
                Timers.StartSingleTimer(RetryTimer, LoadDue.Instance, _options.RestartBaseDelay);
                break;
            case LoadDue:
                Load();
                break;
            default:
                Stash.Stash();
                break;
        }
    }

    /// <summary>No such customer in the store: commands are answered as not recorded until the shard stops this actor.</summary>
    private void Unknown(object message)
    {
        switch (message)
        {
            case LifecycleCommand:
                Sender.Tell(new LifecycleCommandDone(Recorded: false));
                break;
            case CustomerStopRequested:
                Context.Stop(Self); // its shard moves before the passivation came through
                break;
        }
    }

    /// <summary>No life under way: the customer is paused or parked.</summary>
    private void NotServed(object message)
    {
        switch (message)
        {
            case ServeDue:
                ServeWhenActive();
                break;
            case StopServing:
                if (_stopRequested)
                {
                    Context.Stop(Self);
                }

                break;
            default:
                IgnoringWhatAnEndedLifeLeftBehind(message);
                break;
        }
    }

    private void AcquiringLease(object message)
    {
        switch (message)
        {
            case LeaseAcquired acquired:
                _acquiring = false;
                _lease = acquired.Lease;
                if (!ShouldServe)
                {
                    EndLife();
                    return;
                }

                _customer = acquired.Customer; // just read from the store; the node's reconfigurations follow
                EnsureThrottle();
                var self = Self;
                var token = acquired.Lease.FencingToken;
                _hold = _leases.Hold(acquired.Lease, () => self.Tell(new CustomerLeaseLost(token)));
                BecomeIdle(journalStart: true);
                break;
            case LeaseHeldElsewhere:
                _acquiring = false;
                if (!ShouldServe)
                {
                    LifeOver();
                    return;
                }

                // Another node holds it: a hand-off releases it within seconds, a dead node's lease runs out.
                _activity.Phase(PipelinePhases.WaitingForLease);
                Timers.StartSingleTimer(RetryTimer, LeaseRetryDue.Instance,
                    TimeSpan.FromTicks(Math.Min(_options.LeaseDuration.Ticks / 3, TimeSpan.TicksPerSecond)));
                break;
            case LeaseRetryDue:
                if (ShouldServe)
                {
                    AcquireLease();
                }
                else
                {
                    LifeOver();
                }

                break;
            case CustomerInactive:
                _acquiring = false;
                LifeOver(); // the store says paused or parked before a node's refresh told this actor: it hears soon, or tries again
                break;
            case LifeCrashed crashed:
                _acquiring = false;
                Restart(crashed.Cause);
                break;
            case StopServing:
                if (!_acquiring)
                {
                    Timers.Cancel(RetryTimer);
                    LifeOver(); // nothing held yet
                }

                break;
            default:
                IgnoringWhatAnEndedLifeLeftBehind(message);
                break;
        }
    }

    private void Idle(object message)
    {
        switch (message)
        {
            case RateCheckDue:
                break; // sent just before the pipeline ended
            case NextDueRead read when read.Generation == _waitGeneration:
                WaitUntil(read.Due);
                break;
            case LookAgainDue due when due.Generation == _waitGeneration:
                ReadNextDue(journalStart: false);
                break;
            case WorkSignalled signalled when signalled.Generation == _waitGeneration:
                StopWaiting();
                StartPipeline();
                break;
            case WaitFailed failed when failed.Generation == _waitGeneration:
                StopWaiting();
                EndLife(failed.Cause);
                break;
            case StopServing:
                StopWaiting();
                Archiver.Core.Log.PipelineStopped(_logger, _id);
                EndLife();
                break;
            case CustomerLeaseLost lost when lost.FencingToken == _lease?.FencingToken:
                StopWaiting();
                EndLife(); // the keeper that was refused the renewal logged and journaled the loss
                break;
            case CustomerLeaseLost:
                break; // an earlier lease's
            default:
                Always(message);
                break;
        }
    }

    private void Running(object message)
    {
        switch (message)
        {
            case PipelineCompleted:
                PipelineEnded(null);
                break;
            case PipelineFailed failed:
                PipelineEnded(failed.Cause);
                break;
            case StopServing:
                _pipelineStop?.Cancel(); // graceful: the source completes, unstarted items go back, uploads under way get the drain timeout, all is checkpointed
                Become(Draining);
                break;
            case CustomerLeaseLost lost when lost.FencingToken == _lease?.FencingToken:
                _renewalRefused = true;
                _pipelineStop?.Cancel();
                Become(Draining);
                break;
            case CustomerLeaseLost:
                break; // an earlier lease's
            case RateCheckDue:
                RecordRate();
                break;
            default:
                Always(message);
                break;
        }
    }

    private void Draining(object message)
    {
        switch (message)
        {
            case RateCheckDue:
                RecordRate();
                break;
            case PipelineCompleted:
                PipelineEnded(null);
                break;
            case PipelineFailed failed:
                PipelineEnded(failed.Cause);
                break;
            case StopServing:
                break; // decided when the pipeline has drained
            case CustomerLeaseLost lost when lost.FencingToken == _lease?.FencingToken:
                _renewalRefused = true;
                break;
            case CustomerLeaseLost:
                break; // an earlier lease's
            default:
                Always(message);
                break;
        }
    }

    private void Releasing(object message)
    {
        switch (message)
        {
            case ClaimsAndLeaseReleased released:
                if (released.Crash is { } crash && ShouldServe)
                {
                    Restart(crash);
                }
                else
                {
                    LifeOver();
                }

                break;
            case StopServing:
                break; // decided once everything is handed back
            default:
                IgnoringWhatAnEndedLifeLeftBehind(message);
                break;
        }
    }

    private void Restarting(object message)
    {
        switch (message)
        {
            case RestartJournaled journaled:
                Timers.StartSingleTimer(RetryTimer, RestartDue.Instance, journaled.Delay);
                break;
            case RestartDue:
                if (ShouldServe)
                {
                    StartLife();
                }
                else
                {
                    LifeOver();
                }

                break;
            case StopServing:
                Timers.Cancel(RetryTimer);
                LifeOver(); // nothing held between lives
                break;
            default:
                IgnoringWhatAnEndedLifeLeftBehind(message);
                break;
        }
    }

    /// <summary>What every state once loaded handles alike: new settings, operator commands, the node's stop, rates, the journal's bookkeeping.</summary>
    private void Always(object message)
    {
        switch (message)
        {
            case CustomerReconfigured reconfigured:
                Reconfigure(reconfigured);
                break;
            case NextDueRead or LookAgainDue or WorkSignalled or WaitFailed:
                break; // an idle spell's, after it ended
            case LifecycleCommand command:
                Change(command.State, command.Reason, writeStore: true, requester: Sender);
                break;
            case CustomerRecordChanged:
                Load(); // tuning, credentials, a state set by another node's operator
                break;
            case CustomerLoaded loaded:
                if (loaded.Customer is { } customer)
                {
                    Reconfigure(new CustomerReconfigured(_configuration, customer));
                }

                break;
            case LoadFailed failed:
                Archiver.Core.Log.CustomerLoadFailed(_logger, failed.Cause, _id); // the next change reads it again
                break;
            case CustomerStopRequested:
                _stopRequested = true;
                Self.Tell(StopServing.Instance);
                break;
            case LearnedLimitObserved observed:
                RecordRate(observed);
                break;
            case StoreWritten written:
                written.Requester?.Tell(new LifecycleCommandDone(Recorded: true));
                Act();
                break;
            case StoreWriteFailed failed:
                Archiver.Core.Log.ControlStoreWriteFailed(_logger, failed.Cause, _id);
                failed.Requester?.Tell(new LifecycleCommandDone(Recorded: false)); // the caller writes the store; the journal holds it anyway
                Act();
                break;
            case SaveSnapshotSuccess saved:
                DeleteMessages(saved.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failed:
                Archiver.Core.Log.ControlSnapshotFailed(_logger, failed.Cause, _id);
                break;
            case DeleteMessagesFailure failed:
                Archiver.Core.Log.ControlSnapshotFailed(_logger, failed.Cause, _id);
                break;
            case DeleteSnapshotsFailure failed:
                Archiver.Core.Log.ControlSnapshotFailed(_logger, failed.Cause, _id);
                break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// What a state between pipelines passes on. A wait for work abandoned by a stop or a lost lease still reports its
    /// end, a renewal refused just as the hold was dropped still reports the loss, a restart may be journaled after a
    /// pause ended it: nothing to do once the life is over. The rest goes to <see cref="Always"/>.
    /// </summary>
    private void IgnoringWhatAnEndedLifeLeftBehind(object message)
    {
        if (message is not (RateCheckDue or CustomerLeaseLost or RestartJournaled or RestartDue or LeaseRetryDue))
        {
            Always(message);
        }
    }

    // ---- the durable control state ----

    /// <summary>Reads the customer's record from the store: once recovered, and again whenever it changed there.</summary>
    private void Load() =>
        _services.Store.GetCustomerAsync(_id, _lifetime.Token)
            .PipeTo(Self, success: customer => new CustomerLoaded(customer), failure: ex => new LoadFailed(ex));

    /// <summary>
    /// The journal decides; the customers table follows it. Without a journal the table is taken as it is, and a paused
    /// or parked state found there is journaled, so that from then on the journal holds it (an active one is what an
    /// empty journal means already: ten thousand new customers cost no write).
    /// </summary>
    private void Recovered()
    {
        if (!_state.Recorded)
        {
            if (_customer.State != CustomerState.Active)
            {
                Change(_customer.State, _customer.StateReason ?? "found in the store", writeStore: false, requester: null); // then acts
                return;
            }
        }
        else if (_state.Lifecycle != _customer.State)
        {
            Archiver.Core.Log.ControlRepairedStore(_logger, _id, _customer.State, _state.Lifecycle);
            WriteStore(_state.Lifecycle, _state.Reason ?? "recovered from the journal", requester: null); // then acts
            return;
        }

        Self.Tell(ServeDue.Instance); // after whatever came while recovering
    }

    /// <summary>
    /// Journals a lifecycle change and acts on it. An operator's command or a parking is then written to the store
    /// before it is acted on (and the operator answered); a change seen in the store is there already.
    /// </summary>
    private void Change(CustomerState state, string reason, bool writeStore, IActorRef? requester)
    {
        if (state == _state.Lifecycle && _state.Recorded)
        {
            if (writeStore)
            {
                WriteStore(state, reason, requester); // nothing new to journal; the store may still lag
            }

            return;
        }

        Persist(new LifecycleChanged(state, reason), changed =>
        {
            Apply(changed);
            Archiver.Core.Log.LifecycleRecorded(_logger, _id, state, reason);
            if (writeStore)
            {
                WriteStore(state, reason, requester);
            }
            else
            {
                Act();
            }
        });
    }

    /// <summary>Serves the customer when it is active and nothing is under way; ends the life under way when it is not.</summary>
    private void Act()
    {
        if (ShouldServe)
        {
            ServeWhenActive();
        }
        else if (_inLife)
        {
            Self.Tell(StopServing.Instance); // drains and hands the lease back; this actor stays, showing why
        }
        else
        {
            ShowNotServed();
        }
    }

    /// <summary>Writes the journaled lifecycle to the customers table (the read model), then acts on it.</summary>
    private void WriteStore(CustomerState state, string reason, IActorRef? requester) =>
        _services.Store.SetCustomerStateAsync(_id, state, reason, _lifetime.Token)
            .PipeTo(Self, success: _ => new StoreWritten(requester), failure: ex => new StoreWriteFailed(ex, requester));

    /// <summary>
    /// A new configuration and maybe a fresher customer record: a state change it did not make is another node's
    /// operator command; new throttle limits reach the throttle at once; any other change restarts a running pipeline
    /// gracefully under the same lease (a waiting customer reads it when its pipeline next starts).
    /// </summary>
    private void Reconfigure(CustomerReconfigured reconfigured)
    {
        var previousLimits = _configuration.For(_customer).Throttle;
        _configuration = reconfigured.Configuration;
        if (reconfigured.Customer is { } customer)
        {
            var news = customer.State != _customer.State;
            _customer = customer;
            if (news && customer.State != _state.Lifecycle)
            {
                Change(customer.State, customer.StateReason ?? "changed in the store", writeStore: false, requester: null);
            }
        }

        if (_running is { } running)
        {
            ReconfigureRunning(running);
        }
        else if (_throttle is not null && _configuration.For(_customer).Throttle is var limits && limits != previousLimits)
        {
            _throttle.UpdateLimits(limits); // a node-wide reload reaches every idle customer: touched only when they changed
            Archiver.Core.Log.ThrottleReconfigured(_logger, _id, limits.RatePerSecond, limits.Burst);
        }
    }

    private void ReconfigureRunning(RunningPipeline running)
    {
        if (_restartRequested)
        {
            return; // the next pipeline start reads the new values
        }

        var settings = _configuration.For(_customer);
        var sameCustomer = _customer with { Tuning = running.Customer.Tuning, State = running.Customer.State, StateReason = running.Customer.StateReason }
            == running.Customer; // tuning shows in the settings; the lifecycle is this actor's to act on
        if (settings == running.Settings && sameCustomer)
        {
            return;
        }

        if (settings with { Throttle = running.Settings.Throttle } == running.Settings && sameCustomer)
        {
            _throttle?.UpdateLimits(settings.Throttle);
            _running = running with { Settings = settings };
            Archiver.Core.Log.ThrottleReconfigured(_logger, _id, settings.Throttle.RatePerSecond, settings.Throttle.Burst);
            return;
        }

        _restartRequested = true;
        Archiver.Core.Log.PipelineReconfiguring(_logger, _id);
        _pipelineStop?.Cancel();
    }

    /// <summary>
    /// The limit the throttle learned from Dropbox, against the ceiling in force, journaled when it moved by 2 % or more
    /// since the last record: a restart holds just below what is journaled, so a stale record costs throughput. It moves
    /// only at a 429 or a regained limit, so this is a few records a minute at most.
    /// </summary>
    private void RecordRate()
    {
        if (_throttle?.LearnedLimit is { } learned)
        {
            RecordRate(new LearnedLimitObserved(learned, _configuration.For(_customer).Throttle.RatePerSecond));
        }
    }

    private void RecordRate(LearnedLimitObserved observed)
    {
        var previous = _state.LearnedRate ?? observed.CeilingPerSecond;
        if (Math.Abs(observed.RatePerSecond - previous) < previous * MaterialChange)
        {
            return;
        }

        Persist(new RateLearned(observed.RatePerSecond), learned =>
        {
            Apply(learned);
            Archiver.Core.Log.RateRecorded(_logger, _id, learned.RatePerSecond, observed.CeilingPerSecond);
        });
    }

    private void Apply(ICustomerControlEvent change)
    {
        _state = _state.Apply(change);
        if (LastSequenceNr % _persistence.SnapshotEvery == 0)
        {
            SaveSnapshot(_state);
        }
    }

    /// <summary>
    /// A customer this node owns but does not serve (paused, parked) shows as stopped or parked, not as the
    /// "starting" its counters begin with: the status page and the API must not show it on its way up.
    /// </summary>
    private void ShowNotServed() => _activity.Phase(IsParked ? PipelinePhases.Parked : PipelinePhases.Stopped);

    // ---- one life: lease, serve, hand everything back ----

    private void ServeWhenActive()
    {
        if (_inLife)
        {
            return;
        }

        if (!ShouldServe)
        {
            ShowNotServed();
            return;
        }

        StartLife();
    }

    private void StartLife()
    {
        _inLife = true;
        _lifeStartedAt = _services.Time.GetUtcNow();
        Become(AcquiringLease);
        AcquireLease();
    }

    /// <summary>The life ended with nothing held: stop, rest while paused or parked, or try again shortly (lease lost, store not yet active).</summary>
    private void LifeOver()
    {
        _inLife = false;
        if (_stopRequested)
        {
            Context.Stop(Self);
        }
        else if (!ShouldServe)
        {
            ShowNotServed();
            Become(NotServed);
        }
        else
        {
            _inLife = true;
            Timers.StartSingleTimer(RetryTimer, RestartDue.Instance, _options.RestartBaseDelay);
            Become(Restarting);
        }
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

        var lease = await _leases.AcquireAsync(_id, _nodeId, cancellationToken).ConfigureAwait(false);
        return lease is null ? LeaseHeldElsewhere.Instance : new LeaseAcquired(customer, lease);
    }

    /// <summary>
    /// Waits for work without a pipeline; a new lease and a reconfiguration are journaled first, coming back from idle is
    /// not. The wait is messages, not a task: an enqueue for the customer wakes it through the node's
    /// <see cref="WorkSignal"/>, and a timer looks again when the earliest pending item falls due or after a jittered
    /// poll. An idle customer keeps one timer and one callback, so ten thousand of them cost little.
    /// </summary>
    private void BecomeIdle(bool journalStart)
    {
        _activity.Phase(PipelinePhases.Idle);
        _waitGeneration++;
        var self = Self;
        var generation = _waitGeneration;
        _wake = () => self.Tell(new WorkSignalled(generation));
        _services.Signal.OnNotify(_id, _wake);
        ReadNextDue(journalStart);
        Become(Idle);
    }

    private void ReadNextDue(bool journalStart)
    {
        var generation = _waitGeneration;
        NextDueAsync(_lease!, _configuration.For(_customer), journalStart, _lifetime.Token)
            .PipeTo(Self, success: due => new NextDueRead(due, generation), failure: ex => new WaitFailed(ex, generation));
    }

    private async Task<DateTimeOffset?> NextDueAsync(Lease lease, PipelineSettings settings, bool journalStart, CancellationToken cancellationToken)
    {
        if (journalStart)
        {
            Archiver.Core.Log.PipelineStarted(_logger, _id, lease.FencingToken, settings.Parallelism, settings.Throttle.RatePerSecond);
            await _services.Store.AppendEventsAsync(
                [new NewEvent(EventTypes.PipelineStarted, _id,
                    $"fencing token {lease.FencingToken}, parallelism {settings.Parallelism}, rate {settings.Throttle.RatePerSecond}/s")],
                cancellationToken).ConfigureAwait(false);
        }

        return await _services.Store.NextDueAtAsync(_id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the pipeline when an item is due now; otherwise looks again when one falls due, or after a jittered poll.</summary>
    private void WaitUntil(DateTimeOffset? due)
    {
        var now = _services.Time.GetUtcNow();
        if (due <= now)
        {
            StopWaiting();
            StartPipeline();
            return;
        }

        var wait = DueWork.LookAgainAfter(due, now, _configuration.For(_customer).PollInterval);
        Timers.StartSingleTimer(WaitTimer, new LookAgainDue(_waitGeneration), wait);
    }

    /// <summary>Ends an idle spell's wait: its timer and its wake-up; whatever of it is still in flight is told apart by generation.</summary>
    private void StopWaiting()
    {
        Timers.Cancel(WaitTimer);
        if (_wake is { } wake)
        {
            _services.Signal.CancelWake(_id, wake);
            _wake = null;
        }

        _waitGeneration++;
    }

    private void StartPipeline()
    {
        var settings = _configuration.For(_customer); // a reconfiguration may have come while waiting for work
        var throttle = EnsureThrottle();
        throttle.UpdateLimits(settings.Throttle);
        _running = new RunningPipeline(_customer, settings);
        _pipelineStop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _activity.Phase(PipelinePhases.Running);
        Timers.StartPeriodicTimer(RateCheckTimer, RateCheckDue.Instance, _persistence.RateCheckInterval);
        CustomerStream.RunAsync(NodeMaterializer.For(Context.System), _customer, _lease!, settings, _services, throttle, _activity, _pipelineStop.Token)
            .PipeTo(Self, success: () => PipelineCompleted.Instance, failure: ex => new PipelineFailed(ex));
        Become(Running);
    }

    /// <summary>The pipeline returned (idle, stopped, restarted by a reconfiguration) or failed.</summary>
    private void PipelineEnded(Exception? failure)
    {
        Timers.Cancel(RateCheckTimer);
        RecordRate();
        _pipelineStop?.Dispose();
        _pipelineStop = null;
        _running = null;
        var planned = failure is null || (failure is OperationCanceledException && (!ShouldServe || _restartRequested || _renewalRefused));
        if (failure is CustomerBlockedException blocked)
        {
            Park(blocked);
        }
        else if (_renewalRefused)
        {
            EndLife(); // a refused renewal: the keeper logged and journaled the loss
        }
        else if (failure is LeaseLostException lost)
        {
            LeaseWasLost(lost.Message); // the store refused the pipeline's claim or checkpoint
        }
        else if (!planned)
        {
            EndLife(failure);
        }
        else if (!ShouldServe)
        {
            Archiver.Core.Log.PipelineStopped(_logger, _id);
            EndLife();
        }
        else
        {
            var journal = _restartRequested;
            _restartRequested = false;
            BecomeIdle(journal);
        }
    }

    /// <summary>Dropbox refused everything of this customer: journaled and written to the store, and the life ends.</summary>
    private void Park(CustomerBlockedException blocked)
    {
        Archiver.Core.Log.CustomerParked(_logger, _id, blocked.State, blocked.Message);
        Change(blocked.State, blocked.Message, writeStore: true, requester: null);
        EndLife();
    }

    private void LeaseWasLost(string reason)
    {
        Archiver.Core.Log.LeaseLost(_logger, _id, reason);
        EndLife(journal: new NewEvent(EventTypes.LeaseLost, _id, reason));
    }

    /// <summary>Hands back whatever is still claimed and gives up the lease; then the life is over, or restarts after a crash.</summary>
    private void EndLife(Exception? crash = null, NewEvent? journal = null)
    {
        DropHold();
        _renewalRefused = false;
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
            Archiver.Core.Log.ReleaseFailed(_logger, ex, _id);
        }
    }

    /// <summary>Journals a crash and waits with exponential backoff and jitter before the next life.</summary>
    private void Restart(Exception crash)
    {
        _consecutiveCrashes = _services.Time.GetUtcNow() - _lifeStartedAt >= _options.StableAfter ? 1 : _consecutiveCrashes + 1;
        var delay = Backoff.After(_consecutiveCrashes, _options.RestartBaseDelay, _options.RestartMaxDelay);
        _activity.Phase(PipelinePhases.Restarting);
        _activity.Restarted(crash.Message);
        Archiver.Core.Log.PipelineCrashed(_logger, crash, _id, _consecutiveCrashes, delay);
        TryJournalAsync(new NewEvent(EventTypes.PipelineRestarted, _id,
                $"crashed ({crash.GetType().Name}: {crash.Message}); restart #{_consecutiveCrashes} in {delay.TotalSeconds:0.#} s"))
            .PipeTo(Self, success: () => new RestartJournaled(delay));
        Become(Restarting);
    }

    /// <summary>The customer's throttle, created the first time it is served: it outlives every pipeline and every life.</summary>
    private Throttle EnsureThrottle()
    {
        if (_throttle is null)
        {
            var limits = _configuration.For(_customer).Throttle;
            _throttle = new Throttle(limits, _services.Time, _services.RateControllers(_id, limits));
            if (_state.LearnedRate is { } learned)
            {
                _throttle.ResumeAt(learned); // where the customer left off, never above the ceiling in force
            }

            _activity.UseThrottle(_throttle);
        }

        return _throttle;
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
            Archiver.Core.Log.JournalFailed(_logger, ex, _id, entry.Type);
        }
    }

    private sealed record CustomerLoaded(Customer? Customer);

    private sealed record LoadFailed(Exception Cause);

    private sealed record LoadDue
    {
        public static LoadDue Instance { get; } = new();
    }

    /// <summary>The pipeline running now: whom it runs for, and with what.</summary>
    private sealed record RunningPipeline(Customer Customer, PipelineSettings Settings);

    /// <summary>Recovered, or told to act: serve the customer if it is active and no life is under way.</summary>
    private sealed record ServeDue
    {
        public static ServeDue Instance { get; } = new();
    }

    /// <summary>End the life under way: the node asked this actor to stop, or the customer is no longer active.</summary>
    private sealed record StopServing
    {
        public static StopServing Instance { get; } = new();
    }

    private sealed record StoreWritten(IActorRef? Requester);

    private sealed record StoreWriteFailed(Exception Cause, IActorRef? Requester);

    private sealed record LeaseAcquired(Customer Customer, Lease Lease);

    private sealed record LeaseHeldElsewhere
    {
        public static LeaseHeldElsewhere Instance { get; } = new();
    }

    private sealed record LeaseRetryDue
    {
        public static LeaseRetryDue Instance { get; } = new();
    }

    /// <summary>The store says the customer is gone, paused or parked: nothing to serve.</summary>
    private sealed record CustomerInactive
    {
        public static CustomerInactive Instance { get; } = new();
    }

    private sealed record LifeCrashed(Exception Cause);

    private sealed record NextDueRead(DateTimeOffset? Due, int Generation);

    private sealed record LookAgainDue(int Generation);

    private sealed record WorkSignalled(int Generation);

    private sealed record WaitFailed(Exception Cause, int Generation);

    private sealed record PipelineCompleted
    {
        public static PipelineCompleted Instance { get; } = new();
    }

    private sealed record PipelineFailed(Exception Cause);

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
