using Archiver.App.Hosting;
using Archiver.Node;
using Archiver.Supervision;
using Microsoft.Extensions.Options;

namespace Archiver.App.Api;

/// <summary>
/// <c>GET /api/v1/config</c>: the effective configuration, secrets masked. Pipeline defaults and customer blocks are the
/// ones in force — after a refused edit, the last good ones.
/// </summary>
internal static class ConfigEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/config", (IConfiguration configuration, ArchiverNode node, IServiceProvider services) =>
    {
        var effective = EffectiveConfiguration.Of(configuration, node.Configuration,
        [
            (SupervisorOptions.Section, services.GetRequiredService<IOptions<SupervisorOptions>>().Value),
            (NodeOptions.Section, services.GetRequiredService<IOptions<NodeOptions>>().Value),
            (StorageOptions.Section, services.GetRequiredService<IOptions<StorageOptions>>().Value),
            (SecurityOptions.Section, services.GetRequiredService<IOptions<SecurityOptions>>().Value),
            (DropboxOptions.Section, services.GetRequiredService<IOptions<DropboxOptions>>().Value),
            (DropboxAppOptions.Section, services.GetRequiredService<IOptions<DropboxAppOptions>>().Value),
            (ContentOptions.Section, services.GetRequiredService<IOptions<ContentOptions>>().Value),
            (ApiOptions.Section, services.GetRequiredService<IOptions<ApiOptions>>().Value),
            (TelemetryOptions.Section, services.GetRequiredService<IOptions<TelemetryOptions>>().Value),
        ]);
        effective["archiver.node.node-id"] = node.NodeId; // the identity in use: configured, or the one in node.id
        return Results.Ok(effective);
    });
}
