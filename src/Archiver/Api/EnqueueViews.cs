namespace Archiver.Api;

/// <summary>What enqueueing one item did.</summary>
internal sealed record EnqueuedView(long ItemId, bool Created);

/// <summary>A bulk line that was not stored, and why.</summary>
internal sealed record RefusedLine(int Line, string Reason);

/// <summary>What a bulk enqueue did: counts, and every refused line.</summary>
internal sealed record BulkEnqueueView(int Lines, int Created, int Duplicates, IReadOnlyList<RefusedLine> Refused);
