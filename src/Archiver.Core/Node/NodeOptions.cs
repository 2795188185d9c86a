using System.ComponentModel.DataAnnotations;

namespace Archiver.Node;

/// <summary>This node's identity and housekeeping (configuration section <c>archiver:node</c>).</summary>
public sealed class NodeOptions
{
    public const string Section = "archiver:node";

    /// <summary>Unique among the nodes sharing a database. <value>The default value is the host name and process id.</value></summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._:-]{1,100}$")]
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How often the node looks for customers added, resumed or parked elsewhere. <value>The default value is 2 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
