namespace Archiver.Dropbox;

/// <summary>Where the Dropbox API lives and how long one call may take.</summary>
public sealed class DropboxClientOptions
{
    /// <summary>Host of the RPC routes (metadata, listing).</summary>
    public Uri ApiBaseUri { get; init; } = new("https://api.dropboxapi.com/");

    /// <summary>Host of the content routes (uploads).</summary>
    public Uri ContentBaseUri { get; init; } = new("https://content.dropboxapi.com/");

    /// <summary>
    /// The longest one call may take, body upload included, before it fails as a transport error.
    /// Sized for the largest single upload (150 MiB) over a slow link.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
