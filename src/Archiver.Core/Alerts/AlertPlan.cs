namespace Archiver.Core.Alerts;

/// <summary>What to send for a stretch of the journal.</summary>
/// <param name="Alerts">In journal order (by <see cref="Alert.LastSequence"/>).</param>
/// <param name="Through">The cursor once every alert was delivered: every entry up to it is reported or of no interest.</param>
/// <param name="WaitUntil">When a batching window still open ends: entries from its first failed item on wait for it.</param>
public sealed record AlertPlan(IReadOnlyList<Alert> Alerts, long Through, DateTimeOffset? WaitUntil);
