using System.ComponentModel.DataAnnotations;

namespace Archiver.Core.Cluster;

/// <summary>
/// Where this node's Akka.Remote endpoint listens and how other nodes reach it (configuration section
/// <c>archiver:cluster</c>). Every node forms an Akka cluster with the nodes sharing its database: a node on its own
/// (SQLite) is a cluster of one, on the loopback interface and a free port, and needs none of this.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "archiver:cluster";

    /// <summary>
    /// The address the endpoint binds: an IP address or host name; <c>0.0.0.0</c> for every interface (a container).
    /// <value>The default value is <c>127.0.0.1</c>.</value>
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The endpoint's TCP port; 0 picks a free one, which the node records for the others. <value>The default value is 0.</value></summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>
    /// The host name other nodes reach this one by, when it differs from <see cref="Host"/> (a container's service
    /// name, a machine's DNS name). <value>The default value is empty: <see cref="Host"/>.</value>
    /// </summary>
    public string PublicHost { get; set; } = string.Empty;
}
