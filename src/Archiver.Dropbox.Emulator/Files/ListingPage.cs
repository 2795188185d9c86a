namespace Archiver.Dropbox.Emulator.Files;

/// <summary>One page of a folder listing, sorted by lowercase path.</summary>
internal sealed record ListingPage(ListingStatus Status, List<EntrySnapshot> Entries, bool HasMore);

internal enum ListingStatus
{
    Listed,
    NotFound,
    NotFolder,
}
