using Archiver.Core.Customers;

namespace Archiver.Core.Alerts;

/// <summary>
/// One alert to deliver: one journal entry, or every <c>item.failed</c> entry of one customer in one batching window.
/// </summary>
/// <param name="Kind">One of <see cref="AlertKinds"/>.</param>
/// <param name="FirstSequence">The first journal entry it reports.</param>
/// <param name="LastSequence">The last journal entry it reports; with <paramref name="FirstSequence"/> its identity.</param>
/// <param name="Count">How many entries it reports: items failed for <see cref="AlertKinds.ItemsFailed"/>, else 1.</param>
/// <param name="At">When the last entry it reports happened.</param>
public sealed record Alert(string Kind, CustomerId? Customer, long FirstSequence, long LastSequence, int Count, DateTimeOffset At, string Details)
{
    /// <summary>Stable across deliveries of the same alert, so a receiver can drop one it already has.</summary>
    public string Id => $"{FirstSequence}-{LastSequence}";
}
