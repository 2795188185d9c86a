using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;

namespace Archiver.Dropbox.Http;

/// <summary>
/// An upload body copied straight from the caller's stream to the connection, a buffer at a time. Unlike
/// <see cref="StreamContent"/> it leaves the stream open (the caller owns it), and it remembers when reading the
/// stream, rather than the network, failed, so that failure can be reported as the caller's own.
/// </summary>
internal sealed class StreamingUploadContent : HttpContent
{
    private const int BufferSize = 81920;
    private readonly Stream _source;
    private readonly long? _length;

    public StreamingUploadContent(Stream source, long? length)
    {
        _source = source;
        _length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    /// <summary>Set when reading the source stream threw.</summary>
    public ExceptionDispatchInfo? SourceFailure { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await ReadSourceAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length ?? -1;
        return _length.HasValue;
    }

    private async ValueTask<int> ReadSourceAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SourceFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }
}
