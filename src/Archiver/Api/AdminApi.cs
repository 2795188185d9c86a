using Archiver.App.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Archiver.App.Api;

/// <summary>Wires the admin API and status page into a node's web application.</summary>
internal static class AdminApi
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddSingleton<NodeInfo>();
        services.AddSingleton(sp => new ApiToken(ApiTokens.Load(
            sp.GetRequiredService<IOptions<ApiOptions>>().Value, sp.GetRequiredService<IOptions<SecurityOptions>>().Value)));
        services.AddHostedService<ApiAddressPublisher>();
        return services;
    }

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ApiToken>(); // generate the token file before anything listens
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.UseMiddleware<BearerTokenMiddleware>();

        var api = app.MapGroup(Prefix);
        CustomerEndpoints.Map(api);
        ItemEndpoints.Map(api);
        StatusEndpoints.Map(api);
        EventEndpoints.Map(api);
        ClusterEndpoints.Map(api);
        ConfigEndpoints.Map(api);
        StatusPage.Map(app);
        return app;
    }
}
