using System.ComponentModel.DataAnnotations;

namespace Archiver.Core.Supervision;

/// <summary>How supervisors restart crashed pipelines and hold leases (configuration section <c>archiver:supervision</c>).</summary>
public sealed class SupervisorOptions
{
    public const string Section = "archiver:supervision";

    /// <summary>Delay before the first restart; doubles per consecutive crash. <value>The default value is 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RestartBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between restarts. <value>The default value is 1 minute.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RestartMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A pipeline that ran this long without crashing counts as healthy again. <value>The default value is 1 minute.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a customer's lease lasts unless renewed. <value>The default value is 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
}
