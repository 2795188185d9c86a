using Archiver.Core.Node;
using Archiver.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Archiver.Api;

/// <summary>
/// Once Kestrel listens, records the bound address (port 0 resolved) for the API's node view, writes it to the
/// endpoint file the CLI reads, and logs where the status page is.
/// </summary>
internal sealed partial class ApiAddressPublisher(
    IServer server,
    IHostApplicationLifetime lifetime,
    NodeInfo info,
    ArchiverNode node,
    IOptions<ApiOptions> api,
    IOptions<SecurityOptions> security,
    ILogger<ApiAddressPublisher> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Publish);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Publish()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return;
        }

        info.Address = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        if (string.IsNullOrEmpty(node.Address))
        {
            node.Address = info.Address.ToString(); // what the cluster view shows, unless archiver.node.address says otherwise
        }

        try
        {
            ApiTokens.WritePrivate(api.Value.EffectiveEndpointFile(security.Value), info.Address.ToString());
        }
        catch (IOException ex)
        {
            EndpointFileFailed(logger, ex, api.Value.EffectiveEndpointFile(security.Value));
        }

        Listening(logger, info.Address);
    }

    [LoggerMessage(2001, LogLevel.Information, "Admin API and status page on {Address} (archiver status --url prints the page's address with its token)")]
    private static partial void Listening(ILogger logger, Uri address);

    [LoggerMessage(2002, LogLevel.Warning, "Could not write the API endpoint file {File}")]
    private static partial void EndpointFileFailed(ILogger logger, Exception exception, string file);
}
