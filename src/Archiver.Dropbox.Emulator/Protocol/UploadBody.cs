using System.IO.Pipelines;
using Archiver.Dropbox.Emulator.Hashing;

namespace Archiver.Dropbox.Emulator.Protocol;

/// <summary>An upload body as received: its size and content hash, never its bytes.</summary>
internal readonly record struct UploadBody(long Size, string ContentHash, bool TooLarge)
{
    /// <summary>
    /// Reads the body to its end, hashing each segment as it arrives. Stops early (<see cref="TooLarge"/>) past
    /// <paramref name="maxBytes"/>. A small body that arrived whole is hashed in one step.
    /// </summary>
    public static async ValueTask<UploadBody> ReceiveAsync(PipeReader reader, long maxBytes, CancellationToken cancellationToken)
    {
        var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var buffer = result.Buffer;
        if (result.IsCompleted && buffer.IsSingleSegment && buffer.Length <= ContentHasher.BlockSize && buffer.Length <= maxBytes)
        {
            var hash = ContentHasher.OfSingleBlock(buffer.FirstSpan);
            reader.AdvanceTo(buffer.End);
            return new(buffer.Length, hash, TooLarge: false);
        }

        var hasher = ContentHasher.Rent();
        try
        {
            long size = 0;
            while (true)
            {
                buffer = result.Buffer;
                size += buffer.Length;
                if (size > maxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    return new(size, string.Empty, TooLarge: true);
                }

                foreach (var segment in buffer)
                {
                    hasher.Append(segment.Span);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return new(size, hasher.Finish(), TooLarge: false);
                }

                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ContentHasher.Return(hasher);
        }
    }
}
