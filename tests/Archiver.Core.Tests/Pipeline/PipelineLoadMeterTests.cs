using Archiver.Core.Pipeline;
using Archiver.Testing;

namespace Archiver.Core.Tests.Pipeline;

/// <summary>The meter's figures, on a clock moved by hand: every share is exact, whatever the order of changes and reads.</summary>
public sealed class PipelineLoadMeterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void EverySlotBusy_IsFullForTheWholeWindow()
    {
        var meter = new PipelineLoadMeter(parallelism: 2, _time);
        meter.UploadStarted();
        meter.UploadStarted();

        _time.Advance(TimeSpan.FromSeconds(4));
        var load = meter.Read();

        Assert.Equal(4, load.WindowSeconds, 6); // younger than the window: measured since the stream started
        Assert.Equal(2, load.SlotsBusy, 6);
        Assert.Equal(1, load.SlotsFullShare, 6);
        Assert.Equal(0, load.WaitingForWorkShare, 6);
    }

    [Fact]
    public void SomeSlotsBusy_AreNotFull()
    {
        var meter = new PipelineLoadMeter(parallelism: 4, _time);
        meter.UploadStarted();
        meter.UploadStarted();
        meter.UploadStarted();

        _time.Advance(TimeSpan.FromSeconds(2));
        var load = meter.Read();

        Assert.Equal(3, load.SlotsBusy, 6);
        Assert.Equal(0, load.SlotsFullShare, 6);
    }

    [Fact]
    public void UploadTime_IsTheSlotTimeOverTheUploadsThatFinished()
    {
        var meter = new PipelineLoadMeter(parallelism: 1, _time);
        for (var i = 0; i < 8; i++)
        {
            meter.UploadStarted();
            _time.Advance(TimeSpan.FromMilliseconds(500));
            meter.UploadFinished();
        }

        var load = meter.Read();

        Assert.Equal(0.5, load.UploadSeconds!.Value, 6);
        Assert.Equal(1, load.SlotsFullShare, 6); // back to back: the one slot never rested
        Assert.Equal(4, load.SlotsNeededAt(8)!.Value, 6); // 8/s × 0.5 s
    }

    [Fact]
    public void AnUploadStillUnderWay_CountsWhileItRuns_AndBoundsTheUploadTimeFromBelow()
    {
        var meter = new PipelineLoadMeter(parallelism: 1, _time);
        meter.UploadStarted();

        _time.Advance(TimeSpan.FromSeconds(3));
        var load = meter.Read();

        Assert.Equal(1, load.SlotsFullShare, 6);
        Assert.Equal(3, load.UploadSeconds!.Value, 6);
    }

    [Fact]
    public void NoSlotEverBusy_LeavesTheUploadTimeUnknown()
    {
        var meter = new PipelineLoadMeter(parallelism: 4, _time);

        _time.Advance(TimeSpan.FromSeconds(3));
        var load = meter.Read();

        Assert.Null(load.UploadSeconds);
        Assert.Null(load.SlotsNeededAt(10));
        Assert.Equal(0, load.SlotsBusy, 6);
    }

    [Fact]
    public void WaitingForTheNodesBudget_IsItsShareOfTheSlotTime()
    {
        var meter = new PipelineLoadMeter(parallelism: 1, _time);
        meter.UploadStarted();
        meter.BudgetWaitStarted();
        _time.Advance(TimeSpan.FromSeconds(3));
        meter.BudgetWaitEnded();
        _time.Advance(TimeSpan.FromSeconds(1));
        meter.UploadFinished();

        var load = meter.Read();

        Assert.Equal(0.75, load.BudgetWaitShare, 6);
        Assert.Equal(4, load.UploadSeconds!.Value, 6);
    }

    [Fact]
    public void ASourceWaitingForWork_IsItsShareOfTheWindow()
    {
        var meter = new PipelineLoadMeter(parallelism: 4, _time);
        _time.Advance(TimeSpan.FromSeconds(1));
        meter.WaitingForWork(true);
        _time.Advance(TimeSpan.FromSeconds(3));

        var load = meter.Read();

        Assert.Equal(0.75, load.WaitingForWorkShare, 6);
    }

    [Fact]
    public void ActivityOlderThanTheWindow_NoLongerCounts()
    {
        var meter = new PipelineLoadMeter(parallelism: 1, _time);
        for (var second = 0; second < 15; second++) // one upload a second, back to back, for 15 s
        {
            meter.UploadStarted();
            _time.Advance(TimeSpan.FromSeconds(1));
            meter.UploadFinished();
        }

        meter.WaitingForWork(true); // then nothing more to do
        _time.Advance(TimeSpan.FromSeconds(5));
        var load = meter.Read();

        Assert.Equal(PipelineLoadMeter.Window.TotalSeconds, load.WindowSeconds, 6); // seconds 10 to 20
        Assert.Equal(0.5, load.SlotsFullShare, 6);
        Assert.Equal(0.5, load.WaitingForWorkShare, 6);
        Assert.Equal(1, load.UploadSeconds!.Value, 6);
    }

    [Fact]
    public void AStateUnchangedForLongerThanTheWindow_IsMeasuredOverExactlyTheWindow()
    {
        var meter = new PipelineLoadMeter(parallelism: 1, _time);
        _time.Advance(TimeSpan.FromSeconds(2));
        meter.UploadStarted(); // an upload that never ends

        _time.Advance(TimeSpan.FromSeconds(100));
        var load = meter.Read();

        Assert.Equal(PipelineLoadMeter.Window.TotalSeconds, load.WindowSeconds, 6);
        Assert.Equal(1, load.SlotsFullShare, 6);
    }

    [Fact]
    public void AWindowStartingInAQuietSpell_CountsOnlyTheQuietSpellsPartInIt()
    {
        var meter = new PipelineLoadMeter(parallelism: 1, _time);
        meter.WaitingForWork(true);
        _time.Advance(TimeSpan.FromSeconds(60)); // a minute of nothing due, with no change and no read
        meter.WaitingForWork(false);
        meter.UploadStarted(); // then work, and the one slot busy
        _time.Advance(TimeSpan.FromSeconds(4));

        var load = meter.Read();

        Assert.Equal(PipelineLoadMeter.Window.TotalSeconds, load.WindowSeconds, 6);
        Assert.Equal(0.6, load.WaitingForWorkShare, 6);
        Assert.Equal(0.4, load.SlotsFullShare, 6);
    }

    [Fact]
    public void ReadsInBetween_DoNotChangeTheFigures()
    {
        var quiet = new PipelineLoadMeter(parallelism: 2, _time);
        var read = new PipelineLoadMeter(parallelism: 2, _time);
        foreach (var meter in new[] { quiet, read })
        {
            meter.UploadStarted();
        }

        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(700));
            read.Read();
            if (i % 3 == 0)
            {
                quiet.UploadStarted();
                read.UploadStarted();
            }
            else if (i % 3 == 1)
            {
                quiet.UploadFinished();
                read.UploadFinished();
            }
        }

        var (a, b) = (quiet.Read(), read.Read());

        Assert.Equal(a.SlotsFullShare, b.SlotsFullShare, 6);
        Assert.Equal(a.SlotsBusy, b.SlotsBusy, 6);
        Assert.Equal(a.WindowSeconds, b.WindowSeconds, 6);
    }

    [Fact]
    public async Task ManyThreadsChangingItAtOnce_LoseNoChange()
    {
        var meter = new PipelineLoadMeter(parallelism: 8, _time);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                meter.UploadStarted();
                meter.BudgetWaitStarted();
                meter.BudgetWaitEnded();
                meter.UploadFinished();
            }
        })));

        _time.Advance(TimeSpan.FromSeconds(1));
        var afterwards = meter.Read();
        for (var i = 0; i < 8; i++)
        {
            meter.UploadStarted();
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var full = meter.Read();

        Assert.Equal(0, afterwards.SlotsBusy, 6); // every start met its finish: nothing left counted as busy
        Assert.Equal(4, full.SlotsBusy, 6); // then eight busy for one of the two seconds
        Assert.Equal(0.5, full.SlotsFullShare, 6);
        Assert.Equal(0, full.BudgetWaitShare, 6);
    }
}
