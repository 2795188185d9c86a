namespace Archiver.App.Hosting;

/// <summary>Where item content may be read from (configuration section <c>archiver:content</c>).</summary>
public sealed class ContentOptions
{
    public const string Section = "archiver:content";

    /// <summary>Directories <c>file:</c> sources must lie under. Anything else is refused. <value>The default is <c>data/content</c>.</value></summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>The roots in force: the configured ones, or <c>data/content</c> when none are configured.</summary>
    public IReadOnlyList<string> EffectiveRoots => Roots.Count > 0 ? Roots : [Path.Combine("data", "content")];
}
