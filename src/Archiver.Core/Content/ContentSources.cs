using Archiver.Core.Items;

namespace Archiver.Core.Content;

/// <summary>Picks the content source that reads an item's URI scheme; an unsupported scheme is a permanent failure.</summary>
public sealed class ContentSources(IEnumerable<IContentSource> sources) : IContentSource
{
    private readonly IReadOnlyList<IContentSource> _sources = sources.ToArray();

    public bool CanOpen(Uri source) => _sources.Any(s => s.CanOpen(source));

    public Task<ItemContent> OpenAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var source = _sources.FirstOrDefault(s => s.CanOpen(item.Source))
            ?? throw new ContentUnavailableException($"No content source reads '{item.Source.Scheme}:' URIs.", isPermanent: true);
        return source.OpenAsync(item, cancellationToken);
    }
}
