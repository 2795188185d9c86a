namespace Archiver.Cluster;

/// <summary>
/// Rendezvous (highest random weight) hashing: every node computes the same owner for a customer from the same set
/// of live nodes, without talking to the others. When a node joins or leaves, only the customers it wins or held move.
/// </summary>
public static class Rendezvous
{
    /// <summary>The node among <paramref name="nodeIds"/> that owns <paramref name="key"/>; ties (practically never) go to the smaller id.</summary>
    public static string Owner(string key, IReadOnlyCollection<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        if (nodeIds.Count == 0)
        {
            throw new ArgumentException("At least one node is needed.", nameof(nodeIds));
        }

        string? owner = null;
        ulong best = 0;
        foreach (var node in nodeIds)
        {
            var weight = Weight(key, node);
            if (owner is null || weight > best || (weight == best && string.CompareOrdinal(node, owner) < 0))
            {
                owner = node;
                best = weight;
            }
        }

        return owner!;
    }

    /// <summary>FNV-1a over the UTF-16 code units of key, a separator and node, finished with a 64-bit mixer so similar names spread evenly.</summary>
    internal static ulong Weight(string key, string node)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ '\n') * 1099511628211UL;
        foreach (var c in node)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
