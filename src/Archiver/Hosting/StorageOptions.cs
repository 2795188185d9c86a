using System.ComponentModel.DataAnnotations;

namespace Archiver.App.Hosting;

/// <summary>Where the node keeps its state (configuration section <c>archiver:storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "archiver:storage";

    /// <summary>The embedded database file. <value>The default value is <c>data/archiver.db</c>.</value></summary>
    [Required]
    public string SqlitePath { get; set; } = Path.Combine("data", "archiver.db");
}
