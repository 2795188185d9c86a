namespace Archiver.App.Api;

/// <summary>The cluster as the shared database sees it.</summary>
internal sealed record ClusterView(string Self, IReadOnlyList<ClusterNodeView> Nodes, IReadOnlyList<LeaseView> Leases);

/// <summary>One node, with the customers whose leases it holds.</summary>
/// <param name="LastHeartbeat">When the store last heard from it; null for the answering node when it has not registered (yet).</param>
internal sealed record ClusterNodeView(
    string NodeId, string Address, DateTimeOffset UpSince, DateTimeOffset? LastHeartbeat, bool Alive, double ItemsPerSecond, IReadOnlyList<string> Customers);

/// <summary>A held customer lease.</summary>
internal sealed record LeaseView(string Customer, string NodeId, long FencingToken, DateTimeOffset ExpiresAt);
