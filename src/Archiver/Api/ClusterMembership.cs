using Akka.Actor;
using Akka.Cluster;
using Archiver.Core.Cluster;
using Archiver.Core.Storage;

namespace Archiver.Api;

/// <summary>One member as the answering node's Akka cluster extension sees it.</summary>
internal sealed record MemberSnapshot(Address Address, MemberStatus Status, IReadOnlyList<string> Roles, bool Reachable);

/// <summary>The answering node's view of the cluster's membership, read at one moment.</summary>
/// <param name="Cluster">The cluster extension; null when the actor system is not a cluster (nothing to leave or down).</param>
internal sealed record MembershipSnapshot(Akka.Cluster.Cluster? Cluster, Address Self, Address? Leader, IReadOnlyList<MemberSnapshot> Members)
{
    /// <summary>Reads the membership of <paramref name="system"/>'s cluster; the answering node is always among the members.</summary>
    public static MembershipSnapshot Of(ActorSystem system)
    {
        var provider = ((ExtendedActorSystem)system).Provider;
        if (provider is not ClusterActorRefProvider)
        {
            // Not a cluster (akka.actor.provider overridden): the node is alone, up, and its own leader.
            return new(null, provider.DefaultAddress, provider.DefaultAddress, [new MemberSnapshot(provider.DefaultAddress, MemberStatus.Up, [], true)]);
        }

        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var members = state.Members
            .Select(m => new MemberSnapshot(m.Address, m.Status, m.Roles.Order(StringComparer.Ordinal).ToArray(), !unreachable.Contains(m.UniqueAddress)))
            .ToList();
        if (!members.Any(m => m.Address.Equals(cluster.SelfAddress)))
        {
            // Not (or no longer) in the gossip. It answers, so it is listed: joining until the cluster welcomes it (Akka
            // reports it removed until then), removed once its cluster extension shut down after it left or was downed.
            var self = cluster.SelfMember;
            var status = cluster.IsTerminated ? MemberStatus.Removed : self.Status == MemberStatus.Removed ? MemberStatus.Joining : self.Status;
            members.Add(new MemberSnapshot(self.Address, status, self.Roles.Order(StringComparer.Ordinal).ToArray(), true));
        }

        return new(cluster, cluster.SelfAddress, state.Leader, members);
    }

    public MemberSnapshot? Member(Address address) => Members.FirstOrDefault(m => m.Address.Equals(address));

    /// <summary>The members' addresses, for a refusal that says which there are.</summary>
    public string Describe() => string.Join(", ", Members.Select(m => m.Address.ToString()).Order(StringComparer.Ordinal));
}

/// <summary>
/// The admin API's inspection and control of the Akka cluster (in the manner of Petabridge.Cmd): the members joined with
/// the rows the nodes write into the shared database, and the member a leave or down names, by address or node id.
/// </summary>
internal static class ClusterMembership
{
    /// <summary>A member's status as the API writes it: lower-case kebab (<c>weakly-up</c>).</summary>
    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Joining => "joining",
        MemberStatus.WeaklyUp => "weakly-up",
        MemberStatus.Up => "up",
        MemberStatus.Leaving => "leaving",
        MemberStatus.Exiting => "exiting",
        MemberStatus.Down => "down",
        MemberStatus.Removed => "removed",
        _ => Kebab(status.ToString()),
    };

    /// <summary>
    /// The view: each member with the row that recorded its address (the answering node's own row by its node id, even
    /// before it recorded this address), and the rows no member matches as gone.
    /// </summary>
    /// <param name="self">What stands in for the answering node's row until it is written.</param>
    public static ClusterView View(MembershipSnapshot membership, ClusterNode self, IReadOnlyList<ClusterNode> nodes, IReadOnlyList<Lease> leases)
    {
        var owned = leases.GroupBy(l => l.NodeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(l => l.Customer.Value).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var selfRow = nodes.FirstOrDefault(n => n.NodeId == self.NodeId);
        var byAddress = nodes
            .Where(n => n.ClusterAddress.Length > 0 && n.NodeId != self.NodeId)
            .GroupBy(n => n.ClusterAddress, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(n => n.LastHeartbeat)!, StringComparer.Ordinal); // a port reused after a restart: the latest row
        var matched = new HashSet<string>(StringComparer.Ordinal) { self.NodeId };
        var members = new List<ClusterMemberView>();
        foreach (var member in membership.Members)
        {
            var isSelf = member.Address.Equals(membership.Self);
            var row = isSelf ? selfRow ?? self : byAddress.GetValueOrDefault(member.Address.ToString());
            if (row is not null)
            {
                matched.Add(row.NodeId);
            }

            members.Add(new ClusterMemberView(
                member.Address.ToString(),
                StatusName(member.Status),
                member.Roles,
                member.Reachable,
                member.Address.Equals(membership.Leader),
                row?.NodeId,
                row?.Address,
                row?.StartedAt,
                isSelf && selfRow is null ? null : row?.LastHeartbeat,
                row?.ItemsPerSecond,
                row is null ? [] : owned.GetValueOrDefault(row.NodeId) ?? []));
        }

        var gone = nodes.Where(n => !matched.Contains(n.NodeId))
            .Select(n => new GoneNodeView(n.NodeId, n.ClusterAddress, n.Address, n.LastHeartbeat))
            .OrderBy(n => n.NodeId, StringComparer.Ordinal)
            .ToArray();
        return new ClusterView(
            self.NodeId,
            membership.Self.ToString(),
            membership.Leader?.ToString(),
            members.OrderBy(m => m.NodeId is null).ThenBy(m => m.NodeId, StringComparer.Ordinal).ThenBy(m => m.Address, StringComparer.Ordinal).ToArray(),
            gone,
            leases.Select(l => new LeaseView(l.Customer.Value, l.NodeId, l.FencingToken, l.ExpiresAt)).ToArray());
    }

    /// <summary>
    /// The member a leave or down names: by its Akka address, or by a node id looked up in the database's rows. Null and a
    /// 400 problem saying why when the request names none, an address is malformed, a node id is unknown, or what it
    /// names is no member (any more).
    /// </summary>
    public static (MemberSnapshot? Member, string? NodeId, IResult? Problem) Resolve(
        ClusterMemberRequest request, string action, MembershipSnapshot membership, string selfNodeId, IReadOnlyList<ClusterNode> nodes)
    {
        var byAddress = !string.IsNullOrWhiteSpace(request.Address);
        var byNode = !string.IsNullOrWhiteSpace(request.Node);
        if (byAddress == byNode)
        {
            return byAddress
                ? Refused("node", "must not be given with address: name the member by one of them.")
                : Refused("address", "is required: the member's Akka address (akka.tcp://archiver@host:port), or its node id as node.");
        }

        string field;
        string described;
        Address address;
        string? nodeId;
        if (byAddress)
        {
            field = "address";
            var text = request.Address!.Trim();
            if (!TryParseAddress(text, out var parsed))
            {
                return Refused(field, $"'{text}' is not an Akka address; expected one like akka.tcp://archiver@10.0.0.5:4053.");
            }

            address = parsed;
            described = address.ToString();
            nodeId = address.Equals(membership.Self)
                ? selfNodeId
                : nodes.Where(n => n.NodeId != selfNodeId && n.ClusterAddress == address.ToString()).MaxBy(n => n.LastHeartbeat)?.NodeId;
        }
        else
        {
            field = "node";
            nodeId = request.Node!.Trim();
            described = $"'{nodeId}'";
            if (nodeId == selfNodeId)
            {
                address = membership.Self;
            }
            else if (nodes.FirstOrDefault(n => n.NodeId == nodeId) is not { } row)
            {
                var known = string.Join(", ", nodes.Select(n => n.NodeId).Append(selfNodeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
                return Refused(field, $"'{nodeId}' is no node registered in the database (registered: {known}).");
            }
            else if (!TryParseAddress(row.ClusterAddress, out address))
            {
                return Refused(field, $"'{nodeId}' has not recorded a cluster address: it never joined the cluster.");
            }
            else
            {
                described = $"'{nodeId}' ({address})";
            }
        }

        if (membership.Cluster is null)
        {
            return (null, null, Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Not a cluster",
                detail: "This node's actor system is not a cluster member (akka.actor.provider is not cluster): there is nothing to leave or down."));
        }

        var member = membership.Member(address);
        if (member is null || member.Status == MemberStatus.Removed)
        {
            return Refused(field, $"{described} is not a member of the cluster: it left or was downed, or never joined (members: {membership.Describe()}).");
        }

        if (action == "leave" && member.Status == MemberStatus.Down)
        {
            return Refused(field, $"{described} is down: it is being removed from the cluster and cannot leave it.");
        }

        return (member, nodeId, null);
    }

    /// <summary>Whether <paramref name="text"/> is a remote Akka address: <c>akka[.tcp]://system@host:port</c>.</summary>
    public static bool TryParseAddress(string? text, out Address address)
    {
        address = Address.AllSystems;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            if (!Address.TryParse(text, out var parsed) || parsed is null)
            {
                return false;
            }

            if (!parsed.Protocol.StartsWith("akka", StringComparison.Ordinal) || string.IsNullOrEmpty(parsed.System)
                || string.IsNullOrEmpty(parsed.Host) || parsed.Port is not (> 0 and <= 65535))
            {
                return false;
            }

            address = parsed;
            return true;
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException or OverflowException)
        {
            return false;
        }
    }

    private static (MemberSnapshot?, string?, IResult?) Refused(string field, string message) => (null, null, Problems.Invalid(field, message));

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
