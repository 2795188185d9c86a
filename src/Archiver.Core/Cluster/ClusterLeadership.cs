namespace Archiver.Core.Cluster;

/// <summary>
/// Which node does the cluster-wide chores that must run on one node at a time (retention, alert delivery): the Akka
/// cluster's leader. A lone node leads its cluster of one.
/// </summary>
public static class ClusterLeadership
{
    /// <summary>Whether this node leads its cluster now.</summary>
    public static bool Leads(this Akka.Cluster.Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.State.Leader is { } leader && leader == cluster.SelfAddress;
    }
}
