using System.Net;

namespace Archiver.Dropbox.Emulator;

/// <summary>How a <see cref="DropboxEmulator"/> runs.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The port to listen on; 0 picks a free one (read it from <see cref="DropboxEmulator.BaseUri"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The address to listen on. Loopback by default; a container sharing the emulator with other containers binds
    /// <see cref="IPAddress.Any"/>.
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The clock behind rate limits and <c>server_modified</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The largest body one upload call may carry; Dropbox's is 150 MiB (<c>payload_too_large</c> above it).</summary>
    public long MaxUploadBytes { get; init; } = 150L * 1024 * 1024;

    /// <summary>The app key <c>/oauth2/token</c> accepts as <c>client_id</c>.</summary>
    public string AppKey { get; init; } = "emulator-app-key";

    /// <summary>The app secret <c>/oauth2/token</c> accepts as <c>client_secret</c>.</summary>
    public string AppSecret { get; init; } = "emulator-app-secret";

    /// <summary>How long an access token issued by <c>/oauth2/token</c> stays valid; Dropbox's is 4 hours.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(4);
}
