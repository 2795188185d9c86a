using System.Text;
using Archiver.Commands;
using CsCheck;

namespace Archiver.Api.Tests;

/// <summary>How <c>archiver import</c> cuts a JSON-lines file into requests.</summary>
public sealed class ImportBatchesTests
{
    [Fact]
    public void AnyFile_IsCutIntoBatchesWithinBothLimits_EveryLineSentUnderTheNumberTheNodeGivesIt_OrReportedAsTooLarge()
    {
        var line = Gen.OneOf(Gen.String[Gen.Char["a-z{}\":,"], 0, 120], Gen.OneOf("a", "é", "€", "😀").Array[0, 40].Select(string.Concat));
        var terminator = Gen.OneOf("\n", "\r\n", "\r");
        var file = Gen.Select(Gen.Select(line, terminator).Array[0, 40], Gen.Bool)
            .Select((lines, cutLast) => string.Concat(lines.Select((l, i) => l.Item1 + (cutLast && i == lines.Length - 1 && l.Item1.Length > 0 ? "" : l.Item2))));

        Gen.Select(file, Gen.Int[1, 8], Gen.Int[1, 300]).Sample((text, maxLines, maxBytes) =>
        {
            var expected = NodeLines(text);
            var sent = new Dictionary<int, string>();
            var tooLarge = new List<int>();
            var next = 1;
            foreach (var batch in Batches(Encoding.UTF8.GetBytes(text), maxLines, maxBytes))
            {
                Assert.Equal(next, batch.FirstLine);
                Assert.True(batch.Body.Length <= maxBytes, $"a body of {batch.Body.Length} bytes");
                var lines = NodeLines(Encoding.UTF8.GetString(batch.Body.Span));
                Assert.InRange(lines.Count, 1, maxLines);
                for (var i = 0; i < lines.Count; i++)
                {
                    sent[batch.FirstLine + i] = lines[i];
                }

                tooLarge.AddRange(batch.Oversize.Select(o => o.Line));
                next = batch.FirstLine + lines.Count;
            }

            Assert.Equal(expected.Count, sent.Count);
            for (var n = 1; n <= expected.Count; n++)
            {
                var large = Encoding.UTF8.GetByteCount(expected[n - 1]) + 1 > maxBytes;
                Assert.Equal(large ? "" : expected[n - 1], sent[n]);
                Assert.Equal(large, tooLarge.Contains(n));
            }
        }, iter: 3_000);
    }

    [Fact]
    public async Task ALineLargerThanABatch_IsSkippedAsItStreamsPast_NotHeld()
    {
        const int Huge = 64 * 1024 * 1024;
        var small = "{\"externalId\":\"a\"}\n"u8.ToArray();
        using var input = new GeneratedFile(small, Huge, small);
        var reader = new ImportBatches(input, maxLines: 1000, maxBytes: 1024 * 1024);
        var sent = new StringBuilder();
        var tooLarge = new List<OversizeLine>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        await foreach (var batch in reader.ReadAsync(CancellationToken.None))
        {
            sent.Append(Encoding.UTF8.GetString(batch.Body.Span));
            tooLarge.AddRange(batch.Oversize);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("{\"externalId\":\"a\"}\n\n{\"externalId\":\"a\"}\n", sent.ToString()); // line 2 left blank
        Assert.Equal(new OversizeLine(2, Huge), Assert.Single(tooLarge));
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated:N0} bytes allocated to skip a {Huge:N0}-byte line");
    }

    private static List<ImportBatch> Batches(byte[] file, int maxLines, int maxBytes)
    {
        // Bodies are reused from one batch to the next: copy each as it comes, as the sender must send it first.
        var copies = new List<ImportBatch>();
        var enumerator = new ImportBatches(new MemoryStream(file), maxLines, maxBytes).ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            var batch = enumerator.Current;
            copies.Add(batch with { Body = batch.Body.ToArray() });
        }

        return copies;
    }

    /// <summary>Lines as the node's reader counts them.</summary>
    private static List<string> NodeLines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>A small line, a line of <c>x</c> as long as asked, a small line: generated while read, never held.</summary>
    private sealed class GeneratedFile(byte[] first, long middle, byte[] last) : Stream
    {
        private long _position;

        private long Total => first.Length + middle + 1 + last.Length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => Total;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, Total - _position);
            for (var i = 0; i < n; i++, _position++)
            {
                buffer[i] = _position < first.Length ? first[_position]
                    : _position < first.Length + middle ? (byte)'x'
                    : _position == first.Length + middle ? (byte)'\n'
                    : last[_position - first.Length - middle - 1];
            }

            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
