namespace Archiver.Core.Content;

/// <summary>An opened content stream and its length when known. Disposing it closes the stream.</summary>
public sealed class ItemContent(Stream stream, long? length) : IAsyncDisposable
{
    public Stream Stream { get; } = stream;

    public long? Length { get; } = length;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
