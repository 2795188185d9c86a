using Archiver.Core.Customers;

namespace Archiver.Storage.Relational;

/// <summary>
/// What a dialect's take of a lease row is asked for: <see cref="NodeId"/> wants <see cref="Customer"/>'s lease until
/// <see cref="ExpiresAt"/> (unix milliseconds), as of <see cref="Now"/>. <see cref="LiveNodes"/>, when given, are the
/// cluster's members: a holder not among them is passed over, expired or not.
/// </summary>
internal readonly record struct LeaseRequest(CustomerId Customer, string NodeId, IReadOnlyCollection<string>? LiveNodes, long Now, long ExpiresAt);
