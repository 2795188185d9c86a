using Akka.Actor;
using Akka.Persistence;
using Archiver.Customers;
using Archiver.Pipeline;
using Archiver.Storage;
using Archiver.Supervision;
using Microsoft.Extensions.Logging;

namespace Archiver.Control;

/// <summary>
/// A customer's durable control state on the node that serves it, journaled through Akka.Persistence under the
/// customer's id (stable on every node): its lifecycle — active, paused by an operator, parked because Dropbox refused
/// it — and the rate its throttle learned from Dropbox's 429s. It runs the customer's <see cref="CustomerActor"/> while
/// the customer is active, hands it the learned rate, and records what that actor reports.
/// <para>
/// The journal is the source of truth for both; the store's customers table is their read model, which this actor
/// writes after journaling (and repairs on recovery when it differs). An operator's command reaches it as a
/// <see cref="LifecycleCommand"/>; a change of the customers table it did not make itself, seen while it runs (a
/// command accepted by another node), is journaled as that node's command. A customer without a journal yet (new, or
/// from before this journal existed) starts from the table.
/// </para>
/// <para>
/// The learned rate is journaled only when it moved by a tenth or more since the last record, at most once per
/// <see cref="PersistenceOptions.RateCheckInterval"/> while a pipeline runs, and once more when it ends: never per item.
/// Every <see cref="PersistenceOptions.SnapshotEvery"/> events the state is snapshotted and the events before it deleted.
/// </para>
/// </summary>
public sealed class CustomerControl : ReceivePersistentActor, IWithTimers
{
    private const string WorkerRestartTimer = "worker-restart";
    private const double MaterialChange = 0.1;

    private readonly string _nodeId;
    private readonly SupervisorOptions _supervision;
    private readonly PersistenceOptions _persistence;
    private readonly PipelineServices _services;
    private readonly LeaseKeeper _leases;
    private readonly CustomerActivity _activity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private Customer _customer;
    private PipelineConfiguration _configuration;
    private CustomerControlState _state = CustomerControlState.Unrecorded;
    private IActorRef? _worker;
    private bool _stopRequested;

    public CustomerControl(
        Customer customer,
        string nodeId,
        PipelineConfiguration configuration,
        SupervisorOptions supervision,
        PersistenceOptions persistence,
        PipelineServices services,
        LeaseKeeper leases,
        CustomerActivity activity)
    {
        _customer = customer;
        _nodeId = nodeId;
        _configuration = configuration;
        _supervision = supervision;
        _persistence = persistence;
        _services = services;
        _leases = leases;
        _activity = activity;
        _logger = services.Logger;
        Recovering();
        Serving();
    }

    public override string PersistenceId => _customer.Id.Value;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a customer's control (reflection-built: a node creates thousands of them).</summary>
    public static Props Props(
        Customer customer,
        string nodeId,
        PipelineConfiguration configuration,
        SupervisorOptions supervision,
        PersistenceOptions persistence,
        PipelineServices services,
        LeaseKeeper leases,
        CustomerActivity activity) =>
        Akka.Actor.Props.Create(typeof(CustomerControl), customer, nodeId, configuration, supervision, persistence, services, leases, activity);

    protected override void PostStop()
    {
        _lifetime.Cancel();
        base.PostStop();
    }

    private void Recovering()
    {
        Recover<SnapshotOffer>(offer => offer.Snapshot is CustomerControlState state, offer => _state = (CustomerControlState)offer.Snapshot);
        Recover<ICustomerControlEvent>(change => _state = _state.Apply(change));
        Recover<RecoveryCompleted>(_ => Recovered());
    }

    private void Serving()
    {
        Command<LifecycleCommand>(command => Change(command.State, command.Reason, requester: Sender));
        Command<CustomerReconfigured>(Reconfigure);
        Command<CustomerWasParked>(parked => Change(parked.State, parked.Reason, requester: null)); // the customer's actor wrote the store
        Command<ThrottleRateObserved>(RateObserved);
        Command<CustomerStopRequested>(_ =>
        {
            _stopRequested = true;
            if (_worker is null)
            {
                Context.Stop(Self);
            }
            else
            {
                _worker.Tell(CustomerStopRequested.Instance);
            }
        });
        Command<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_worker))
            {
                WorkerStopped(); // handled whatever it is: an unhandled Terminated would fail this actor
            }
        });
        Command<WorkerRestartDue>(_ => ServeWhenActive());
        Command<StoreWritten>(written =>
        {
            Act();
            written.Requester?.Tell(new LifecycleCommandDone(Recorded: true));
        });
        Command<StoreWriteFailed>(failed =>
        {
            Archiver.Log.ControlStoreWriteFailed(_logger, failed.Cause, _customer.Id);
            Act();
            failed.Requester?.Tell(new LifecycleCommandDone(Recorded: false)); // the caller writes the store; the journal holds it anyway
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => Archiver.Log.ControlSnapshotFailed(_logger, failed.Cause, _customer.Id));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => Archiver.Log.ControlSnapshotFailed(_logger, failed.Cause, _customer.Id));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => Archiver.Log.ControlSnapshotFailed(_logger, failed.Cause, _customer.Id));
    }

    /// <summary>The journal decides; the customers table follows it. Without a journal the table is taken as it is.</summary>
    private void Recovered()
    {
        if (!_state.Recorded)
        {
            _state = _state with { Lifecycle = _customer.State, Reason = _customer.StateReason };
            ServeWhenActive();
            return;
        }

        if (_state.Lifecycle != _customer.State)
        {
            Archiver.Log.ControlRepairedStore(_logger, _customer.Id, _customer.State, _state.Lifecycle);
            WriteStore(_state.Lifecycle, _state.Reason ?? "recovered from the journal", requester: null);
            return;
        }

        ServeWhenActive();
    }

    /// <summary>A fresher customer record, or a new configuration: a state change it did not make is another node's operator command.</summary>
    private void Reconfigure(CustomerReconfigured reconfigured)
    {
        _configuration = reconfigured.Configuration;
        if (reconfigured.Customer is { } customer)
        {
            var news = customer.State != _customer.State;
            _customer = customer;
            if (news && customer.State != _state.Lifecycle)
            {
                Change(customer.State, customer.StateReason ?? "changed in the store", requester: null); // already in the store
            }
        }

        _worker?.Tell(reconfigured);
    }

    /// <summary>
    /// Journals a lifecycle change and acts on it. An operator's command (<paramref name="requester"/> given) is then
    /// written to the store before it is acted on and answered; a change seen in the store or made by the customer's
    /// actor is there already.
    /// </summary>
    private void Change(CustomerState state, string reason, IActorRef? requester)
    {
        if (state == _state.Lifecycle && _state.Recorded)
        {
            if (requester is not null)
            {
                WriteStore(state, reason, requester); // nothing new to journal; the store may still lag
            }

            return;
        }

        Persist(new LifecycleChanged(state, reason), changed =>
        {
            Apply(changed);
            Archiver.Log.LifecycleRecorded(_logger, _customer.Id, state, reason);
            if (requester is not null)
            {
                WriteStore(state, reason, requester);
            }
            else
            {
                Act();
            }
        });
    }

    /// <summary>Serves the customer when it is active, else has its actor (if any) drain and hand its lease back.</summary>
    private void Act()
    {
        if (_state.Lifecycle == CustomerState.Active)
        {
            ServeWhenActive();
        }
        else if (_worker is null)
        {
            ShowNotServed();
        }
        else
        {
            _worker.Tell(CustomerStopRequested.Instance); // drains and hands its lease back (its phase then says so); this control stays
        }
    }

    /// <summary>
    /// A customer this node owns but does not serve (paused, parked) shows as stopped or parked, not as the
    /// "starting" its counters begin with: the status page and the API must not show it on its way up.
    /// </summary>
    private void ShowNotServed() =>
        _activity.Phase(_state.Lifecycle == CustomerState.Paused ? PipelinePhases.Stopped : PipelinePhases.Parked);

    private void RateObserved(ThrottleRateObserved observed)
    {
        var previous = _state.LearnedRate ?? observed.CeilingPerSecond;
        if (Math.Abs(observed.RatePerSecond - previous) < previous * MaterialChange)
        {
            return;
        }

        Persist(new RateLearned(observed.RatePerSecond), learned =>
        {
            Apply(learned);
            Archiver.Log.RateRecorded(_logger, _customer.Id, learned.RatePerSecond, observed.CeilingPerSecond);
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

    /// <summary>Writes the journaled lifecycle to the customers table (the read model), then acts on it.</summary>
    private void WriteStore(CustomerState state, string reason, IActorRef? requester) =>
        _services.Store.SetCustomerStateAsync(_customer.Id, state, reason, _lifetime.Token)
            .PipeTo(Self, success: _ => new StoreWritten(requester), failure: ex => new StoreWriteFailed(ex, requester));

    /// <summary>Starts the customer's actor when the customer is active and none runs (nor is on its way out).</summary>
    private void ServeWhenActive()
    {
        if (_stopRequested || _worker is not null)
        {
            return;
        }

        if (_state.Lifecycle != CustomerState.Active)
        {
            ShowNotServed();
            return;
        }

        _worker = Context.ActorOf(
            CustomerActor.Props(_customer, _nodeId, _configuration, _supervision, _services, _leases, _activity, _state.LearnedRate),
            "worker");
        Context.Watch(_worker);
    }

    /// <summary>The customer's actor stopped: drained for a stop or a pause, parked, or its lease lost — served again shortly if still active.</summary>
    private void WorkerStopped()
    {
        _worker = null;
        if (_stopRequested)
        {
            Context.Stop(Self);
        }
        else if (_state.Lifecycle == CustomerState.Active)
        {
            Timers.StartSingleTimer(WorkerRestartTimer, WorkerRestartDue.Instance, _supervision.RestartBaseDelay);
        }
    }

    private sealed record StoreWritten(IActorRef? Requester);

    private sealed record StoreWriteFailed(Exception Cause, IActorRef? Requester);

    private sealed record WorkerRestartDue
    {
        public static WorkerRestartDue Instance { get; } = new();
    }
}
