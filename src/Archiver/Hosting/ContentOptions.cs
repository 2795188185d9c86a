namespace Archiver.Hosting;

/// <summary>Where item content may be read from (configuration section <c>archiver:content</c>).</summary>
public sealed class ContentOptions
{
    public const string Section = "archiver:content";

    /// <summary>Directories <c>file:</c> sources must lie under. Anything else is refused. <value>The default is <c>data/content</c>.</value></summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>Hosts <c>http:</c>/<c>https:</c> sources may be read from (exact names). <value>The default is none: HTTP sources are refused.</value></summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Longest time to wait for an HTTP source to start answering. <value>The default value is 30 seconds.</value></summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The roots in force: the configured ones, or <c>data/content</c> when none are configured.</summary>
    public IReadOnlyList<string> EffectiveRoots => Roots.Count > 0 ? Roots : [Path.Combine("data", "content")];
}
