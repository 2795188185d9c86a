using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Archiver.Hosting;

/// <summary>The node's admin API and status page (configuration section <c>archiver:api</c>).</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "archiver:api";

    /// <summary>Whether <c>archiver run</c> serves the API. <value>The default value is true.</value></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address to listen on: an IP address or <c>localhost</c>. <value>The default value is 127.0.0.1.</value></summary>
    [Required]
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (written to <see cref="EndpointFile"/>). <value>The default value is 8780.</value></summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8780;

    /// <summary>
    /// The bearer token every API call must carry. When unset, one is generated on first start into
    /// <see cref="TokenFile"/> (readable by the owner only), which the CLI reads. Required on a non-loopback address.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Where a generated token is kept. <value>The default is <c>api.token</c> beside the token key file.</value></summary>
    public string? TokenFile { get; set; }

    /// <summary>Where the node writes the URL it listens on, for the CLI. <value>The default is <c>api.endpoint</c> beside the token key file.</value></summary>
    public string? EndpointFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryParseBind(Bind, out var address))
        {
            yield return new ValidationResult("must be an IP address or 'localhost'.", [nameof(Bind)]);
        }
        else if (Enabled && !IPAddress.IsLoopback(address) && string.IsNullOrWhiteSpace(Token))
        {
            yield return new ValidationResult(
                "a non-loopback address needs archiver.api.token set: a generated token must not guard a reachable API.", [nameof(Bind)]);
        }
    }

    /// <summary>The address to bind, <c>localhost</c> meaning the IPv4 loopback.</summary>
    public IPAddress BindAddress => TryParseBind(Bind, out var address) ? address : IPAddress.Loopback;

    /// <summary>The URL a client on this machine reaches the configured address and port at.</summary>
    public Uri ConfiguredUri
    {
        get
        {
            var address = BindAddress;
            var host = address.Equals(IPAddress.Any) ? "127.0.0.1"
                : address.Equals(IPAddress.IPv6Any) ? "[::1]"
                : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
                : address.ToString();
            return new Uri($"http://{host}:{Port}/");
        }
    }

    public string EffectiveTokenFile(SecurityOptions security) => TokenFile ?? Beside(security, "api.token");

    public string EffectiveEndpointFile(SecurityOptions security) => EndpointFile ?? Beside(security, "api.endpoint");

    private static string Beside(SecurityOptions security, string name) =>
        Path.Combine(Path.GetDirectoryName(security.TokenKeyFile) ?? string.Empty, name);

    private static bool TryParseBind(string? bind, out IPAddress address)
    {
        if (string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        return IPAddress.TryParse(bind, out address!);
    }
}
