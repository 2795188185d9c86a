using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>A journal entry to append; the store stamps the time and sequence.</summary>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="Details">A short human-readable description.</param>
public sealed record NewEvent(string Type, CustomerId? Customer, string Details, long? ItemId = null);
