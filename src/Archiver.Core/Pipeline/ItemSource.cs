using Akka.Streams;
using Akka.Streams.Stage;
using Archiver.Core.Items;
using Archiver.Core.Storage;

namespace Archiver.Core.Pipeline;

/// <summary>
/// The source of a customer's stream: claims due items out of the store in id order (a keyset cursor), a page at a
/// time, and only as many as <see cref="ClaimCredits"/> allow: items claimed but not yet checkpointed never exceed
/// the stream's capacity, and it claims once at least half of that is free. Claimed items wait here until downstream
/// pulls them.
/// <para>When nothing is due it waits for work (<see cref="DueWork"/>: an enqueue, a retry falling due, the fallback
/// poll); once it has waited <see cref="PipelineSettings.IdleAfter"/> in vain it completes, and the stream with it.</para>
/// <para>Once <c>stopping</c> is set it claims nothing more, lets downstream take what it holds (each is handed back
/// rather than uploaded) and completes.</para>
/// <para>Its waits for work are reported to the stream's <see cref="PipelineLoadMeter"/>: a source that waits most of
/// the time is why a customer is below its rate (no work).</para>
/// </summary>
internal sealed class ItemSource : GraphStage<SourceShape<ArchiveItem>>
{
    private readonly Lease _lease;
    private readonly PipelineSettings _settings;
    private readonly PipelineServices _services;
    private readonly ClaimCredits _credits;
    private readonly CancellationToken _stopping;
    private readonly PipelineLoadMeter? _load;
    private readonly Outlet<ArchiveItem> _out = new("ItemSource.out");

    /// <param name="load">Told when the source waits for work; null when nobody measures (a test of the source alone).</param>
    public ItemSource(
        Lease lease, PipelineSettings settings, PipelineServices services, ClaimCredits credits, CancellationToken stopping, PipelineLoadMeter? load = null)
    {
        _lease = lease;
        _settings = settings;
        _services = services;
        _credits = credits;
        _stopping = stopping;
        _load = load;
        Shape = new SourceShape<ArchiveItem>(_out);
    }

    public override SourceShape<ArchiveItem> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("item-source");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly ItemSource _stage;
        private readonly Queue<ArchiveItem> _claimed = new();
        private readonly CancellationTokenSource _lookups = new();
        private long _afterId;
        private bool _lookingUp;
        private bool _stopping;
        private bool _idle;
        private bool _waitingForWork;
        private CancellationTokenRegistration _stopRegistration;
        private Action<(int Wanted, Task<IReadOnlyList<ArchiveItem>> Claim)> _claimCompleted = null!;
        private Action<Task<bool>> _waitCompleted = null!;

        public Logic(ItemSource stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            _claimCompleted = GetAsyncCallback<(int Wanted, Task<IReadOnlyList<ArchiveItem>> Claim)>(OnClaimed);
            _waitCompleted = GetAsyncCallback<Task<bool>>(OnWaited);
            var creditsReturned = GetAsyncCallback(ClaimIfRoom);
            _stage._credits.OnReturned(creditsReturned);
            var stop = GetAsyncCallback(Stop);
            _stopRegistration = _stage._stopping.Register(stop);
            ClaimIfRoom();
        }

        public override void PostStop()
        {
            WaitingForWork(false); // a wait cut short by the stream's end reports nothing more
            _stage._credits.OnReturned(null);
            _stopRegistration.Dispose();
            _lookups.Cancel();
            _lookups.Dispose();
        }

        public override void OnPull()
        {
            if (_claimed.TryDequeue(out var item))
            {
                Push(_stage._out, item);
            }

            CompleteWhenDone();
        }

        private void ClaimIfRoom()
        {
            if (_lookingUp || _stopping || _idle)
            {
                return;
            }

            var wanted = _stage._credits.TryTake(_stage._settings.PageSize, atLeast: _stage._credits.Capacity / 2);
            if (wanted == 0)
            {
                return; // the checkpoint's next write gives credits back and calls again
            }

            _lookingUp = true;
            var claim = _stage._services.Store.ClaimAsync(_stage._lease, _afterId, wanted, _lookups.Token);
            var completed = _claimCompleted;
            claim.ContinueWith(task => completed((wanted, task)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void OnClaimed((int Wanted, Task<IReadOnlyList<ArchiveItem>> Claim) claimed)
        {
            _lookingUp = false;
            var (wanted, claim) = claimed;
            if (!claim.IsCompletedSuccessfully)
            {
                _stage._credits.Return(wanted);
                EndLookup(claim);
                return;
            }

            var page = claim.Result;
            _stage._credits.Return(wanted - page.Count);
            foreach (var item in page)
            {
                _claimed.Enqueue(item);
            }

            if (IsAvailable(_stage._out) && _claimed.TryDequeue(out var first))
            {
                Push(_stage._out, first);
            }

            if (page.Count == wanted)
            {
                _afterId = page[^1].Id;
                ClaimIfRoom();
            }
            else if (_afterId > 0)
            {
                // Reached the end of the keyset; items before the cursor may have become due meanwhile.
                _afterId = 0;
                ClaimIfRoom();
            }
            else
            {
                WaitForWork();
            }

            CompleteWhenDone();
        }

        private void WaitForWork()
        {
            if (_stopping)
            {
                return;
            }

            _lookingUp = true;
            WaitingForWork(true);
            var settings = _stage._settings;
            var completed = _waitCompleted;
            DueWork.WaitAsync(_stage._services, _stage._lease.Customer, settings.PollInterval, settings.IdleAfter, _lookups.Token)
                .ContinueWith(task => completed(task), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void OnWaited(Task<bool> wait)
        {
            _lookingUp = false;
            WaitingForWork(false);
            if (!wait.IsCompletedSuccessfully)
            {
                EndLookup(wait);
                return;
            }

            if (wait.Result)
            {
                ClaimIfRoom();
            }
            else
            {
                _idle = true; // the customer's actor waits for work without the stream
            }

            CompleteWhenDone(); // a stop that came while it waited: the work it woke for stays in the store
        }

        private void WaitingForWork(bool waiting)
        {
            if (_waitingForWork != waiting)
            {
                _waitingForWork = waiting;
                _stage._load?.WaitingForWork(waiting);
            }
        }

        /// <summary>A claim or wait that did not succeed: cancelled by a stop, or a failure that fails the stream.</summary>
        private void EndLookup(Task lookup)
        {
            var failure = lookup.Exception?.InnerException;
            if (lookup.IsCanceled || (_stopping && failure is OperationCanceledException))
            {
                CompleteWhenDone();
                return;
            }

            FailStage(failure ?? lookup.Exception!);
        }

        private void Stop()
        {
            _stopping = true;
            _lookups.Cancel();
            CompleteWhenDone();
        }

        private void CompleteWhenDone()
        {
            if ((_stopping || _idle) && !_lookingUp && _claimed.Count == 0)
            {
                CompleteStage();
            }
        }
    }
}
