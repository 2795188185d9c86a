using System.Text;
using Archiver.Core.Content;
using Archiver.Core.Items;

namespace Archiver.Testing;

/// <summary>
/// Content for tests without touching the disk: a <c>gen:</c> URI such as <c>gen:item-7?size=2048</c> opens
/// <c>size</c> bytes derived from the URI, so the same URI always yields the same content.
/// </summary>
public sealed class GeneratedContentSource : IContentSource
{
    public static Uri UriFor(string name, int size = 256) => new($"gen:{name}?size={size}");

    public bool CanOpen(Uri source) => source.Scheme == "gen";

    public Task<ItemContent> OpenAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var text = item.Source.OriginalString;
        var query = text.IndexOf("?size=", StringComparison.Ordinal);
        var size = query < 0 ? 256 : int.Parse(text[(query + 6)..], System.Globalization.CultureInfo.InvariantCulture);
        var seed = Encoding.UTF8.GetBytes(text);
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(seed[i % seed.Length] + (i / seed.Length));
        }

        return Task.FromResult(new ItemContent(new MemoryStream(bytes, writable: false), size));
    }
}
