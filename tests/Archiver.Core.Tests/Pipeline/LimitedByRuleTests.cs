using Archiver.Core.Pipeline;

namespace Archiver.Core.Tests.Pipeline;

/// <summary>The order in which <see cref="LimitedByRule"/> weighs what holds a customer back when several things do.</summary>
public sealed class LimitedByRuleTests
{
    private const double Ceiling = 10;
    private static readonly DateTimeOffset Paused = DateTimeOffset.UnixEpoch.AddHours(1);

    /// <summary>A window of 10 s with four slots, nothing busy, nothing waiting.</summary>
    private static readonly PipelineLoad Quiet = new(4, 10, 0, 0, null, 0, 0);

    /// <summary>Every slot busy throughout, an upload holding its slot 1 s: at 10/s that needs 10 slots of 4.</summary>
    private static readonly PipelineLoad SlotsFull = Quiet with { SlotsBusy = 4, SlotsFullShare = 1, UploadSeconds = 1 };

    [Theory]
    [InlineData(PipelinePhases.Starting)]
    [InlineData(PipelinePhases.WaitingForLease)]
    [InlineData(PipelinePhases.Restarting)]
    [InlineData(PipelinePhases.Parked)]
    [InlineData(PipelinePhases.Stopped)]
    public void ACustomerNotRunningHere_HasNoBound(string phase) =>
        Assert.Null(LimitedByRule.Decide(phase, Ceiling, null, Ceiling, SlotsFull));

    [Fact]
    public void APipelineDownForWantOfWork_HasNoWork() =>
        Assert.Equal(LimitedBy.NoWork, LimitedByRule.Decide(PipelinePhases.Idle, Ceiling, null, Ceiling, null));

    [Fact]
    public void ARetryAfterPause_IsDropbox_WhateverElseHolds() =>
        Assert.Equal(LimitedBy.Dropbox, Decide(Ceiling, Paused, SlotsFull with { WaitingForWorkShare = 1 }));

    [Fact]
    public void ASourceWaitingForWorkMostOfTheWindow_IsNoWork_EvenWithEverySlotBusy() =>
        Assert.Equal(LimitedBy.NoWork, Decide(Ceiling, null, SlotsFull with { WaitingForWorkShare = 0.6 }));

    [Fact]
    public void SlotsFull_WhenTheRateNeedsMoreSlotsThanThereAre_IsParallelism() =>
        Assert.Equal(LimitedBy.Parallelism, Decide(Ceiling, null, SlotsFull));

    [Fact]
    public void SlotsFull_ButEnoughForTheRate_IsAtLimit() =>
        Assert.Equal(LimitedBy.Rate, Decide(Ceiling, null, SlotsFull with { UploadSeconds = 0.35 })); // 10/s × 0.35 s = 3.5 slots of 4

    [Fact]
    public void SlotsFull_MostlyWaitingForTheNodesBudget_IsNodeUploadBudget() =>
        Assert.Equal(LimitedBy.NodeUploadBudget, Decide(Ceiling, null, SlotsFull with { BudgetWaitShare = LimitedByRule.MeaningfulBudgetWait }));

    [Fact]
    public void SlotsFull_WithALittleWaitForTheBudget_IsStillParallelism() =>
        Assert.Equal(LimitedBy.Parallelism, Decide(Ceiling, null, SlotsFull with { BudgetWaitShare = 0.1 }));

    [Fact]
    public void SlotsFull_WithTheRateCutBy429s_IsParallelism_TheTighterBound() =>
        Assert.Equal(LimitedBy.Parallelism, Decide(Ceiling / 2, null, SlotsFull));

    [Fact]
    public void SlotsFullLessThanMostOfTheWindow_AreNoBound() =>
        Assert.Equal(LimitedBy.Rate, Decide(Ceiling, null, SlotsFull with { SlotsFullShare = 0.4 }));

    [Fact]
    public void ARateCutBy429s_WithSlotsToSpare_IsDropbox() =>
        Assert.Equal(LimitedBy.Dropbox, Decide(Ceiling / 2, null, Quiet));

    [Fact]
    public void ARateClimbedBackToItsCeiling_IsAtLimit() =>
        Assert.Equal(LimitedBy.Rate, Decide(Ceiling * 0.995, null, Quiet));

    [Fact]
    public void ARunningCustomerWithoutFiguresYet_IsJudgedByItsThrottle()
    {
        Assert.Equal(LimitedBy.Rate, Decide(Ceiling, null, null));
        Assert.Equal(LimitedBy.Dropbox, Decide(Ceiling / 2, null, null));
    }

    [Theory]
    [InlineData(LimitedBy.Rate, "rate", "at limit")]
    [InlineData(LimitedBy.Dropbox, "dropbox", "limited by Dropbox")]
    [InlineData(LimitedBy.Parallelism, "parallelism", "parallelism-bound")]
    [InlineData(LimitedBy.NodeUploadBudget, "node-upload-budget", "node upload budget")]
    [InlineData(LimitedBy.NoWork, "no-work", "no work")]
    public void EachBound_HasAStableWireNameAndTheWordsStatusShows(LimitedBy bound, string wire, string words)
    {
        Assert.Equal(wire, bound.Wire());
        Assert.Equal(words, bound.Describe());
        Assert.Equal(bound, LimitedByNames.FromWire(wire));
    }

    private static LimitedBy? Decide(double currentRate, DateTimeOffset? pausedUntil, PipelineLoad? load) =>
        LimitedByRule.Decide(PipelinePhases.Running, currentRate, pausedUntil, Ceiling, load);
}
