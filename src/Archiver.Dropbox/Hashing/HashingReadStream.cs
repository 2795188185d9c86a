namespace Archiver.Dropbox.Hashing;

/// <summary>
/// A read-only, forward-only view of another stream that hashes every byte read through it, so an upload is hashed
/// while it streams. <see cref="ContentHash"/> is known once a read has reported the end of the stream.
/// </summary>
public sealed class HashingReadStream(Stream inner, bool leaveOpen = false) : Stream
{
    private readonly DropboxContentHasher _hasher = new();
    private long _bytesRead;

    /// <summary>The Dropbox content hash of all bytes read, or null until the end of the stream was reached.</summary>
    public string? ContentHash { get; private set; }

    /// <summary>How many bytes have been read through this stream.</summary>
    public long BytesRead => _bytesRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _bytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read], requested: buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read], requested: buffer.Length);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> bytes, int requested)
    {
        if (bytes.Length > 0)
        {
            _hasher.Append(bytes);
            _bytesRead += bytes.Length;
        }
        else if (requested > 0 && ContentHash is null)
        {
            ContentHash = _hasher.GetHashAndReset();
        }
    }
}
