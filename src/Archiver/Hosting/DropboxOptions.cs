using System.ComponentModel.DataAnnotations;

namespace Archiver.Hosting;

/// <summary>Where Dropbox is (configuration section <c>archiver:dropbox</c>); point both at an emulator to run without an account.</summary>
public sealed class DropboxOptions
{
    public const string Section = "archiver:dropbox";

    /// <summary>RPC endpoint base. <value>The default value is https://api.dropboxapi.com/.</value></summary>
    [Required]
    [AbsoluteHttpUri]
    public Uri ApiBaseUri { get; set; } = new("https://api.dropboxapi.com/");

    /// <summary>Content (upload) endpoint base. <value>The default value is https://content.dropboxapi.com/.</value></summary>
    [Required]
    [AbsoluteHttpUri]
    public Uri ContentBaseUri { get; set; } = new("https://content.dropboxapi.com/");

    /// <summary>Longest time one Dropbox call may take. <value>The default value is 10 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// When files are committed in per-customer batches (<c>finish_batch_v2</c>, one batch in flight per customer):
    /// <c>auto</c> one call per file until Dropbox reports write contention for the customer, then batches while it
    /// lasts; <c>always</c>; or <c>off</c>. <value>The default value is auto.</value>
    /// </summary>
    public BatchCommitMode BatchCommits { get; set; } = BatchCommitMode.Auto;

    /// <summary>Entries per batch commit at most. <value>The default value is 1000, Dropbox's maximum.</value></summary>
    [Range(1, 1000)]
    public int BatchMaxEntries { get; set; } = 1000;

    /// <summary>
    /// How long a lone entry waits for others before it is committed. <value>The default value is 0: at once.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BatchMaxWait { get; set; } = TimeSpan.Zero;
}
