using Archiver.Core.Customers;

namespace Archiver.Storage.Relational;

/// <summary>What every store throws for an operation on a customer it does not hold, worded alike.</summary>
internal static class NoSuchCustomer
{
    public static ArgumentException ToEnqueue(CustomerId customer) =>
        new($"Cannot enqueue items for customer '{customer}': no such customer.", "items");

    public static ArgumentException ToLease(CustomerId customer, Exception? cause = null) =>
        new($"Cannot lease customer '{customer}': no such customer.", nameof(customer), cause);
}
