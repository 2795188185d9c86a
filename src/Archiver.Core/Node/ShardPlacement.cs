namespace Archiver.Core.Node;

/// <summary>A shard of customers, the node (by Akka address) that holds it now, and how many customers run in it.</summary>
public sealed record ShardPlacement(string ShardId, string NodeAddress, int Customers);
