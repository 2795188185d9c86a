using Archiver.Core.Customers;
using Archiver.Core.Items;

namespace Archiver.Core.Storage;

/// <summary>A page of one customer's items; <paramref name="Status"/> null means every status.</summary>
public sealed record ItemQuery(CustomerId Customer, ItemStatus? Status = null, long AfterId = 0, int Limit = 100);
