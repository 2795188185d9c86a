namespace Archiver.Core.Items;

/// <summary>Where an item is in its life. Items only ever end <see cref="Archived"/> or <see cref="Failed"/>.</summary>
public enum ItemStatus
{
    /// <summary>Waiting to be claimed, possibly not before its next attempt time.</summary>
    Pending,

    /// <summary>Claimed by a pipeline holding the customer's lease.</summary>
    InFlight,

    /// <summary>In the customer's Dropbox.</summary>
    Archived,

    /// <summary>Can never upload as it is; the reason says why. An operator may retry it.</summary>
    Failed,
}
