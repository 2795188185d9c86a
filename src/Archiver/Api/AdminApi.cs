using Archiver.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Archiver.Api;

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
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A request Kestrel found malformed or too slow is the client's problem (400, 408, 413...), not the node's.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<BearerTokenMiddleware>();
        app.UseMiddleware<RequestBodyLimit>();

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
