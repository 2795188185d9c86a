using Archiver.Core.Customers;

namespace Archiver.Dropbox.Auth;

/// <summary>The Dropbox app whose refresh tokens a <see cref="DropboxTokenSource"/> exchanges, and where.</summary>
public sealed class DropboxTokenSourceOptions
{
    /// <summary>Host of <c>oauth2/token</c>: the API host, the same as <see cref="DropboxClientOptions.ApiBaseUri"/>.</summary>
    public Uri TokenBaseUri { get; init; } = new("https://api.dropboxapi.com/");

    /// <summary>The app key, sent as <c>client_id</c>.</summary>
    public required string AppKey { get; init; }

    /// <summary>The app secret, sent as <c>client_secret</c>; null for a PKCE app, which has none.</summary>
    public Secret? AppSecret { get; init; }

    /// <summary>How long before its expiry an access token is replaced; the Dropbox SDKs use 5 minutes.</summary>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest one token request may take before it fails as a transport error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
