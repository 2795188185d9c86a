namespace Archiver.Core.Pipeline;

/// <summary>
/// Where a running stream's items spent the recent window (<see cref="PipelineLoadMeter.Window"/>, or since the stream
/// started when that is shorter): the figures behind <see cref="LimitedBy"/>, shown beside it so that an operator sees
/// which knob to turn.
/// </summary>
/// <param name="Parallelism">The stream's upload slots.</param>
/// <param name="WindowSeconds">How long the figures cover.</param>
/// <param name="SlotsBusy">Uploads in flight, on average over the window (at most <paramref name="Parallelism"/>).</param>
/// <param name="SlotsFullShare">The share of the window (0–1) during which every upload slot was busy.</param>
/// <param name="UploadSeconds">
/// How long an upload held its slot, on average (waiting for the node's budget included): the slot time of the window
/// over the uploads that finished in it; when none finished, over those still in flight (then it is a lower bound).
/// Null when no slot was busy.
/// </param>
/// <param name="BudgetWaitShare">The share (0–1) of the slot time spent waiting for the node's <see cref="UploadBudget"/>.</param>
/// <param name="WaitingForWorkShare">The share of the window (0–1) during which the source found nothing due and waited for work.</param>
public sealed record PipelineLoad(
    int Parallelism,
    double WindowSeconds,
    double SlotsBusy,
    double SlotsFullShare,
    double? UploadSeconds,
    double BudgetWaitShare,
    double WaitingForWorkShare)
{
    /// <summary>
    /// The upload slots <paramref name="ratePerSecond"/> needs at this upload time (Little's law: rate × time in a slot);
    /// above <see cref="Parallelism"/>, that rate cannot be reached. Null when the upload time is unknown.
    /// </summary>
    public double? SlotsNeededAt(double ratePerSecond) => ratePerSecond * UploadSeconds;
}
