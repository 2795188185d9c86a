namespace Archiver.Core.Content;

/// <summary>An item's content could not be opened.</summary>
/// <param name="reason">What went wrong, for the item's failure reason.</param>
/// <param name="isPermanent">True when retrying cannot help (missing file, disallowed location).</param>
public sealed class ContentUnavailableException(string reason, bool isPermanent, Exception? inner = null)
    : Exception(reason, inner)
{
    public bool IsPermanent { get; } = isPermanent;
}
