using Archiver.Core.Items;

namespace Archiver.Core.Content;

/// <summary>Opens an item's content for streaming.</summary>
public interface IContentSource
{
    /// <summary>True when this source reads URIs of <paramref name="source"/>'s scheme.</summary>
    bool CanOpen(Uri source);

    /// <summary>
    /// Opens the content. Throws <see cref="ContentUnavailableException"/> when it cannot be read,
    /// saying whether that could change (a 5xx) or not (missing, outside the allowed roots).
    /// </summary>
    Task<ItemContent> OpenAsync(ArchiveItem item, CancellationToken cancellationToken);
}
