using System.Globalization;
using System.Text;
using Archiver.Core.Content;
using Archiver.Core.Items;

namespace Archiver.Bench;

/// <summary>
/// Content generated in memory, so the benchmark measures the node and not the disk: <c>gen:name?size=N</c> opens
/// N bytes derived from the URI (the same URI always yields the same bytes).
/// </summary>
internal sealed class GeneratedContent : IContentSource
{
    public static Uri UriFor(string name, int size) => new($"gen:{name}?size={size.ToString(CultureInfo.InvariantCulture)}");

    public bool CanOpen(Uri source) => source.Scheme == "gen";

    public Task<ItemContent> OpenAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var text = item.Source.OriginalString;
        var query = text.IndexOf("?size=", StringComparison.Ordinal);
        var size = query < 0 ? 256 : int.Parse(text[(query + 6)..], CultureInfo.InvariantCulture);
        var seed = Encoding.UTF8.GetBytes(text);
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(seed[i % seed.Length] + (i / seed.Length));
        }

        return Task.FromResult(new ItemContent(new MemoryStream(bytes, writable: false), size));
    }
}
