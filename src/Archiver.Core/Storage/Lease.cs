using Archiver.Core.Customers;

namespace Archiver.Core.Storage;

/// <summary>
/// A node's right to run one customer's pipeline until <see cref="ExpiresAt"/>. The fencing token grows with every
/// takeover; every claim and checkpoint carries it, so a node that lost the lease cannot write over its successor.
/// </summary>
public sealed record Lease(CustomerId Customer, string NodeId, long FencingToken, DateTimeOffset ExpiresAt);
