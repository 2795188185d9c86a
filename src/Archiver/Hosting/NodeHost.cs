using Archiver.App.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Archiver.App.Hosting;

/// <summary>Builds the host a node (or a one-off command) runs in.</summary>
internal static class NodeHost
{
    /// <summary>
    /// A host with the store, the pipeline services and the node's actor system, for one-off commands (which use its
    /// services without starting it) and for tests that run a node without its API: nothing listening.
    /// </summary>
    public static IHost Build(IConfiguration configuration, Action<IServiceCollection>? configure = null, LogLevel minimumLevel = LogLevel.Information)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddConfiguration(configuration);
        ConfigureLogging(builder.Logging, minimumLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ActorSystemHosting.DrainTimeout);
        builder.Services.AddArchiver(builder.Configuration);
        AddNodeOptions(builder.Services, builder.Configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        ValidateAll(host.Services);
        return host;
    }

    /// <summary>
    /// A running node's host: the pipeline services, metrics (exported when configured), and — unless
    /// <c>archiver.api.enabled</c> is false — the admin API and status page on Kestrel. The bound address is in
    /// <see cref="NodeInfo"/> once started (<see cref="ApiAddress"/>).
    /// </summary>
    public static WebApplication BuildNode(IConfiguration configuration, Action<IServiceCollection>? configure = null, LogLevel minimumLevel = LogLevel.Information)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging, minimumLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ActorSystemHosting.DrainTimeout);
        builder.Services.AddArchiver(builder.Configuration);
        AddNodeOptions(builder.Services, builder.Configuration);
        builder.Services.AddHostedService<StoreMigration>();
        builder.Services.AddHostedService<BacklogSampler>();
        builder.Services.AddHostedService<MetricsExporter>();

        var api = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        if (api.Enabled)
        {
            builder.Services.AddAdminApi();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(api.BindAddress, api.Port));
        }

        configure?.Invoke(builder.Services);
        var app = builder.Build();
        ValidateAll(app.Services);
        if (api.Enabled)
        {
            app.MapAdminApi();
        }

        return app;
    }

    /// <summary>Where a started node's API listens, or null when it serves none.</summary>
    public static Uri? ApiAddress(IHost host) => host.Services.GetService<NodeInfo>()?.Address;

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel minimumLevel)
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(minimumLevel);
    }

    private static void AddNodeOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<ApiOptions>>(new SettingsValidator<ApiOptions>(ApiOptions.Section));
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>>(new SettingsValidator<TelemetryOptions>(TelemetryOptions.Section));
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateOnStart();
    }

    private static void ValidateAll(IServiceProvider services)
    {
        services.ValidateSettings();
        _ = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
    }
}
