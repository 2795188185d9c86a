namespace Archiver.Core.Customers;

/// <summary>Whether a customer's pipeline runs, and if not, why.</summary>
public enum CustomerState
{
    /// <summary>Archiving normally.</summary>
    Active,

    /// <summary>Stopped by an operator; resumes on request.</summary>
    Paused,

    /// <summary>Dropbox refused the customer's token; a new authorization is needed. Nothing is failed or lost meanwhile.</summary>
    NeedsReauth,

    /// <summary>The customer's Dropbox is full; resumes when an operator says space was freed.</summary>
    StorageFull,
}
