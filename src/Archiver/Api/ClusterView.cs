namespace Archiver.Api;

/// <summary>
/// The cluster as Akka sees it from the answering node, joined with the rows the nodes write into the shared database.
/// </summary>
/// <param name="Self">The answering node's id.</param>
/// <param name="SelfAddress">The answering node's Akka address.</param>
/// <param name="Leader">The address of the cluster's leader; null while there is none (joining, or every member unreachable).</param>
/// <param name="Members">Akka's members, the answering node always among them.</param>
/// <param name="Gone">Nodes the database knows that are no member: they died (or were downed) and never came back.</param>
/// <param name="Leases">Every held customer lease.</param>
internal sealed record ClusterView(
    string Self,
    string SelfAddress,
    string? Leader,
    IReadOnlyList<ClusterMemberView> Members,
    IReadOnlyList<GoneNodeView> Gone,
    IReadOnlyList<LeaseView> Leases);

/// <summary>One member of the Akka cluster, with what its row in the database says about it.</summary>
/// <param name="Address">Its Akka address, e.g. <c>akka.tcp://archiver@10.0.0.5:4053</c>.</param>
/// <param name="Status">up, joining, weakly-up, leaving, exiting, down or removed.</param>
/// <param name="Reachable">False while the answering node's failure detector cannot hear it.</param>
/// <param name="NodeId">The node id whose row records this address; null when no row does (yet).</param>
/// <param name="ApiAddress">Where its admin API listens, as it recorded it (may be empty).</param>
/// <param name="UpSince">When the node started; null without a row.</param>
/// <param name="LastHeartbeat">When the database last heard from it; null without a row.</param>
/// <param name="Customers">The customers whose leases it holds.</param>
internal sealed record ClusterMemberView(
    string Address,
    string Status,
    IReadOnlyList<string> Roles,
    bool Reachable,
    bool Leader,
    string? NodeId,
    string? ApiAddress,
    DateTimeOffset? UpSince,
    DateTimeOffset? LastHeartbeat,
    double? ItemsPerSecond,
    IReadOnlyList<string> Customers);

/// <summary>A node the database knows that is no member of the cluster.</summary>
/// <param name="Address">The Akka address it last recorded (empty when it never joined).</param>
/// <param name="ApiAddress">Where its admin API listened.</param>
internal sealed record GoneNodeView(string NodeId, string Address, string ApiAddress, DateTimeOffset LastHeartbeat);

/// <summary>A held customer lease.</summary>
internal sealed record LeaseView(string Customer, string NodeId, long FencingToken, DateTimeOffset ExpiresAt);

/// <summary>The body of <c>POST /api/v1/cluster/leave</c> and <c>/down</c>: the member by its Akka address, or by its node id.</summary>
internal sealed record ClusterMemberRequest(string? Address, string? Node);

/// <summary>The answer to a leave or down: what was asked of which member.</summary>
/// <param name="Action">leave or down.</param>
/// <param name="Address">The member's Akka address.</param>
/// <param name="NodeId">Its node id, when a row records the address.</param>
internal sealed record ClusterActionView(string Action, string Address, string? NodeId);

/// <summary>The cluster's shards of customers: <see cref="Shards"/> lists those allocated now, of <see cref="NumberOfShards"/>.</summary>
internal sealed record ShardsView(int NumberOfShards, IReadOnlyList<ShardView> Shards);

/// <summary>One shard: the node holding it (its Akka address, and its node id when a row records it), the customers running in it and those it holds.</summary>
internal sealed record ShardView(string Shard, string Address, string? NodeId, int Running, IReadOnlyList<string> Customers);
