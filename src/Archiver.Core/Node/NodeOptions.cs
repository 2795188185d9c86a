using System.ComponentModel.DataAnnotations;

namespace Archiver.Core.Node;

/// <summary>This node's identity, membership and housekeeping (configuration section <c>archiver:node</c>).</summary>
public sealed class NodeOptions : IValidatableObject
{
    public const string Section = "archiver:node";

    /// <summary>
    /// Unique among the nodes sharing a database. Empty: the id kept in the data directory's <c>node.id</c>, generated
    /// on the first start, so a restarted node is the same node (see <see cref="NodeIdentity"/>).
    /// <value>The default value is empty.</value>
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._:-]{1,100}$")]
    public string NodeId { get; set; } = string.Empty;

    /// <summary>
    /// How often the node heartbeats into the store and looks at the cluster's nodes and customers (added, resumed,
    /// parked, moved); a change of the cluster's membership is looked at at once. <value>The default value is 2 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node whose last heartbeat is older than this is not offered as a seed to a node joining the cluster (the
    /// cluster's own failure detection decides when a member is dead). <value>The default value is 10 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Uploads in flight at once on this node, across every customer (each also has its own parallelism). It matches
    /// the Dropbox client's connection limit, so an upload never waits for a connection while its timeout runs.
    /// <value>The default value is 512.</value>
    /// </summary>
    [Range(1, 100_000)]
    public int MaxUploads { get; set; } = 512;

    /// <summary>Where this node's admin API can be reached, shown by <c>archiver cluster show</c>. <value>The default value is empty.</value></summary>
    public string Address { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NodeTimeout <= RefreshInterval * 2)
        {
            yield return new ValidationResult(
                $"must be more than twice refresh-interval ({RefreshInterval}), or a live node looks gone between two heartbeats",
                [nameof(NodeTimeout)]);
        }
    }
}
