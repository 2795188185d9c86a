namespace Archiver.Core.Items;

/// <summary>Facts about the communication itself, used to name the archived file.</summary>
/// <param name="OccurredAt">When the call, message or fax happened.</param>
/// <param name="From">The calling or sending party, e.g. a phone number.</param>
/// <param name="To">The called or receiving party.</param>
public sealed record ItemMetadata(DateTimeOffset OccurredAt, string? From = null, string? To = null);
