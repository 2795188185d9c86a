namespace Archiver.Core.Customers;

/// <summary>What to do when a different file already sits at an item's path in the customer's Dropbox.</summary>
public enum ConflictPolicy
{
    /// <summary>Park the item as failed, naming the conflict; nothing in Dropbox is touched.</summary>
    Fail,

    /// <summary>Let Dropbox store the item beside the existing file under a new name ("name (1).wav").</summary>
    Autorename,
}
