using Akka.Streams;
using Akka.Streams.Stage;

namespace Archiver.Core.Pipeline;

/// <summary>
/// Lets elements through at the pace of a customer's <see cref="Throttle"/>: each element waits for the throttle
/// (its token bucket, a Retry-After pause of the whole customer, a rate cut by 429s and climbing back, limits changed
/// live) before it goes downstream. The throttle belongs to the customer's actor and outlives every stream; this stage
/// only asks it. The wait runs on the throttle's own clock (<see cref="TimeProvider"/>), so an idle or paused stream
/// keeps no timer of the actor system running, and a test can move the clock by hand.
/// <para>Once <c>release</c> is set, elements pass without waiting: the stream is stopping and hands them back instead
/// of uploading them, so a Retry-After pause cannot hold up a drain.</para>
/// </summary>
public sealed class AdaptiveThrottle<T> : GraphStage<FlowShape<T, T>>
{
    private readonly Throttle _throttle;
    private readonly CancellationToken _release;
    private readonly Inlet<T> _in = new("AdaptiveThrottle.in");
    private readonly Outlet<T> _out = new("AdaptiveThrottle.out");

    public AdaptiveThrottle(Throttle throttle, CancellationToken release)
    {
        _throttle = throttle;
        _release = release;
        Shape = new FlowShape<T, T>(_in, _out);
    }

    public override FlowShape<T, T> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("adaptive-throttle");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly AdaptiveThrottle<T> _stage;
        private readonly CancellationTokenSource _waits;
        private Action<Task> _acquired = null!;
        private T? _held;
        private bool _holding;
        private bool _letGo;

        public Logic(AdaptiveThrottle<T> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _waits = CancellationTokenSource.CreateLinkedTokenSource(stage._release);
            SetHandler(stage._in, this);
            SetHandler(stage._out, this);
        }

        public override void PreStart() => _acquired = GetAsyncCallback<Task>(OnAcquired);

        public override void PostStop()
        {
            _waits.Cancel(); // a wait still under way gives its reservation back
            _waits.Dispose();
        }

        public override void OnPush()
        {
            _held = Grab(_stage._in);
            _holding = true;
            if (_stage._release.IsCancellationRequested)
            {
                LetGo();
                return;
            }

            var acquire = _stage._throttle.AcquireAsync(_waits.Token);
            if (acquire.IsCompletedSuccessfully)
            {
                LetGo(); // a token was there: no round trip through a callback
                return;
            }

            var acquired = _acquired;
            acquire.ContinueWith(acquired, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public override void OnPull()
        {
            if (_letGo)
            {
                PushHeld();
            }
            else if (!_holding && !HasBeenPulled(_stage._in))
            {
                Pull(_stage._in);
            }
        }

        public override void OnUpstreamFinish()
        {
            if (!_holding)
            {
                CompleteStage();
            }
        }

        private void OnAcquired(Task acquire)
        {
            if (acquire.IsCompletedSuccessfully || _stage._release.IsCancellationRequested)
            {
                LetGo();
            }
            else if (acquire.Exception is { } failure)
            {
                FailStage(failure.InnerException ?? failure);
            }
        }

        private void LetGo()
        {
            _letGo = true;
            if (IsAvailable(_stage._out))
            {
                PushHeld();
            }
        }

        private void PushHeld()
        {
            var element = _held!;
            _held = default;
            _holding = false;
            _letGo = false;
            Push(_stage._out, element);
            if (IsClosed(_stage._in))
            {
                CompleteStage();
            }
        }
    }
}
