using System.Runtime.CompilerServices;

namespace Archiver.Commands;

/// <summary>
/// Splits a JSON-lines stream into request bodies of at most <c>maxLines</c> lines and <c>maxBytes</c> bytes, holding
/// no more than one body at a time, whatever the size of the file. A line that alone exceeds <c>maxBytes</c> is
/// skipped as it streams past (never held) and reported with its number; the lines around it are sent. Lines end at
/// <c>\n</c>, <c>\r\n</c> or <c>\r</c>, and are numbered the way the node numbers them; a leading UTF-8 byte order mark is dropped.
/// </summary>
internal sealed class ImportBatches(Stream input, int maxLines, int maxBytes)
{
    private const int ReadSize = 64 * 1024;

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public async IAsyncEnumerable<ImportBatch> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var body = new byte[maxBytes];
        var read = new byte[ReadSize];
        var oversize = new List<OversizeLine>();
        int length = 0, lineStart = 0, linesInBody = 0, firstLine = 1, lineNumber = 1;
        long consumed = 0, skipped = 0;
        bool skipping = false, afterCarriageReturn = false, atStart = true;

        while (true)
        {
            var count = await input.ReadAsync(read, ct);
            if (count == 0)
            {
                break;
            }

            var chunk = read.AsMemory(0, count);
            if (atStart)
            {
                atStart = false;
                if (chunk.Span.StartsWith(ByteOrderMark))
                {
                    chunk = chunk[ByteOrderMark.Length..];
                    consumed += ByteOrderMark.Length;
                }
            }

            while (!chunk.IsEmpty)
            {
                if (afterCarriageReturn && chunk.Span[0] == (byte)'\n')
                {
                    chunk = chunk[1..]; // the \n of a \r\n: the line already ended
                    consumed++;
                    afterCarriageReturn = false;
                    continue;
                }

                afterCarriageReturn = false;
                var end = chunk.Span.IndexOfAny((byte)'\n', (byte)'\r');
                var text = end < 0 ? chunk : chunk[..end];
                consumed += text.Length;

                // The line so far, unless it is already known to be too large.
                if (skipping)
                {
                    skipped += text.Length;
                }
                else if (length + text.Length + 1 > maxBytes)
                {
                    if (length - lineStart + text.Length + 1 > maxBytes)
                    {
                        skipping = true; // larger than any batch: drop what was kept of it, count the rest
                        skipped = length - lineStart + text.Length;
                        length = lineStart;
                    }
                    else
                    {
                        // It fits in a batch of its own: send the finished lines, keep it for the next body.
                        yield return new ImportBatch(firstLine, body.AsMemory(0, lineStart), Taken(oversize), consumed);
                        body.AsSpan(lineStart, length - lineStart).CopyTo(body);
                        (length, lineStart, linesInBody, firstLine) = (length - lineStart, 0, 0, lineNumber);
                    }
                }

                if (!skipping)
                {
                    text.Span.CopyTo(body.AsSpan(length));
                    length += text.Length;
                }

                if (end < 0)
                {
                    break;
                }

                afterCarriageReturn = chunk.Span[end] == (byte)'\r';
                chunk = chunk[(end + 1)..];
                consumed++;
                foreach (var full in EndLine())
                {
                    yield return full;
                }
            }
        }

        if (length > lineStart || skipping)
        {
            foreach (var full in EndLine())
            {
                yield return full;
            }
        }

        if (linesInBody > 0 || oversize.Count > 0)
        {
            yield return new ImportBatch(firstLine, body.AsMemory(0, length), Taken(oversize), consumed);
        }

        // Ends the current line: '\n' after it (a blank line in place of one too large), and the body goes when full.
        IEnumerable<ImportBatch> EndLine()
        {
            if (skipping)
            {
                oversize.Add(new OversizeLine(lineNumber, skipped));
                skipping = false;
                if (length + 1 > maxBytes)
                {
                    yield return new ImportBatch(firstLine, body.AsMemory(0, length), Taken(oversize), consumed);
                    (length, linesInBody, firstLine) = (0, 0, lineNumber);
                }
            }

            body[length++] = (byte)'\n';
            lineStart = length;
            linesInBody++;
            lineNumber++;
            if (linesInBody == maxLines)
            {
                yield return new ImportBatch(firstLine, body.AsMemory(0, length), Taken(oversize), consumed);
                (length, lineStart, linesInBody, firstLine) = (0, 0, 0, lineNumber);
            }
        }
    }

    private static List<OversizeLine> Taken(List<OversizeLine> oversize)
    {
        var taken = oversize.ToList();
        oversize.Clear();
        return taken;
    }
}
