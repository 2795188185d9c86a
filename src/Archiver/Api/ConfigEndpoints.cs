using Archiver.Core.Node;

namespace Archiver.Api;

/// <summary>
/// <c>GET /api/v1/config</c>: the effective configuration, secrets masked. Pipeline defaults and customer blocks are the
/// ones in force — after a refused edit, the last good ones.
/// </summary>
internal static class ConfigEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/config", (IConfiguration configuration, ArchiverNode node, IServiceProvider services) =>
    {
        var effective = EffectiveConfiguration.Of(services, configuration, node.Configuration);
        effective["archiver.node.node-id"] = node.NodeId; // the identity in use: configured, or the one in node.id
        return Results.Ok(effective);
    });
}
