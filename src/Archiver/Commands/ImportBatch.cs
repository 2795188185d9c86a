namespace Archiver.Commands;

/// <summary>
/// One request's worth of a JSON-lines file: <see cref="Body"/> holds lines <see cref="FirstLine"/> onwards, one per
/// <c>\n</c>, a line too large to send left blank in its place so the node's line numbers still count from
/// <see cref="FirstLine"/>. <see cref="Body"/> is only valid until the next batch is read.
/// </summary>
internal sealed record ImportBatch(int FirstLine, ReadOnlyMemory<byte> Body, IReadOnlyList<OversizeLine> Oversize, long BytesRead);

/// <summary>A line of the file longer than a batch may be: never sent, reported by its number.</summary>
internal sealed record OversizeLine(int Line, long Bytes);
