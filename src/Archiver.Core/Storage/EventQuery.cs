using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>Events after <paramref name="AfterSequence"/>, optionally of one customer and one type.</summary>
public sealed record EventQuery(long AfterSequence = 0, int Limit = 100, CustomerId? Customer = null, string? Type = null);
