namespace Archiver.Core.Pipeline;

/// <summary>
/// Why a customer goes at the pace it goes (<see cref="LimitedBy"/>), from its phase, its throttle and its stream's
/// <see cref="PipelineLoad"/>. An item passes the source, the throttle, an upload slot and, inside the slot, the node's
/// budget; the bound is the stage it waits at. When several hold, the first of these wins:
/// <list type="number">
/// <item>Not running here (starting, waiting for its lease, restarting, paused, parked, stopped): none; the state and
/// the phase say why.</item>
/// <item>The pipeline is down for want of work (<c>idle</c>): <see cref="LimitedBy.NoWork"/>.</item>
/// <item>Paused until a Retry-After: <see cref="LimitedBy.Dropbox"/>. Nothing moves, whatever else holds.</item>
/// <item>The source waited for due work for <see cref="MostOfTheWindow"/> or more: <see cref="LimitedBy.NoWork"/>.
/// More slots or budget would have nothing to carry.</item>
/// <item>Every upload slot busy for <see cref="MostOfTheWindow"/> or more, and the current rate × the time an upload holds
/// its slot above the parallelism (so that rate cannot be reached with these slots):
/// <see cref="LimitedBy.NodeUploadBudget"/> when <see cref="MeaningfulBudgetWait"/> or more of that slot time went on
/// waiting for the node's budget, else <see cref="LimitedBy.Parallelism"/>. This comes before a limit learned from 429s: with
/// the slots full the customer goes slower than even the learned limit, so the slots are the tighter bound.</item>
/// <item>The throttle's rate below the configured one (held below the limit learned from Dropbox's 429s): <see cref="LimitedBy.Dropbox"/>.</item>
/// <item>Otherwise the throttle at the configured rate is what items wait for: <see cref="LimitedBy.Rate"/>, at its limit.</item>
/// </list>
/// </summary>
public static class LimitedByRule
{
    /// <summary>"Most of the recent window": a state held this share of it or more.</summary>
    public const double MostOfTheWindow = 0.5;

    /// <summary>A share of the slot time spent waiting for the node's budget that no longer counts as noise.</summary>
    public const double MeaningfulBudgetWait = 0.25;

    /// <summary>A rate this close to the ceiling is at it (the rate controller holds 1 % under a learned limit).</summary>
    private const double AtCeiling = 0.99;

    /// <param name="phase">The customer's <see cref="PipelinePhases"/> on this node.</param>
    /// <param name="currentRate">The throttle's rate now; null before the customer was first served.</param>
    /// <param name="pausedUntil">When the throttle's Retry-After pause ends; null when not paused.</param>
    /// <param name="ratePerSecond">The configured rate in force (the throttle's ceiling); null when not known.</param>
    /// <param name="load">The running stream's recent figures; null when none runs.</param>
    /// <returns>The bound, or null when the customer is not running here.</returns>
    public static LimitedBy? Decide(string phase, double? currentRate, DateTimeOffset? pausedUntil, double? ratePerSecond, PipelineLoad? load)
    {
        if (phase == PipelinePhases.Idle)
        {
            return LimitedBy.NoWork;
        }

        if (phase != PipelinePhases.Running)
        {
            return null;
        }

        if (pausedUntil is not null)
        {
            return LimitedBy.Dropbox;
        }

        if (load is { WaitingForWorkShare: >= MostOfTheWindow })
        {
            return LimitedBy.NoWork;
        }

        if (load is { SlotsFullShare: >= MostOfTheWindow } && !ReachableWithTheseSlots(load, currentRate))
        {
            return load.BudgetWaitShare >= MeaningfulBudgetWait ? LimitedBy.NodeUploadBudget : LimitedBy.Parallelism;
        }

        return currentRate < ratePerSecond * AtCeiling ? LimitedBy.Dropbox : LimitedBy.Rate;
    }

    /// <summary>Whether rate × upload time fits in the slots (Little's law); not when either is unknown and the slots are full anyway.</summary>
    private static bool ReachableWithTheseSlots(PipelineLoad load, double? currentRate) =>
        currentRate is { } rate && load.SlotsNeededAt(rate) is { } needed && needed <= load.Parallelism;
}
