using Archiver.Api;
using Archiver.Core.Node;
using Archiver.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

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
        builder.Services.AddHostedService<AlertDelivery>(); // after the actor system, whose leader delivers

        var api = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        if (api.Enabled)
        {
            builder.Services.AddAdminApi();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(api.BindAddress, api.Port));
        }

        configure?.Invoke(builder.Services);
        var app = builder.Build();
        ValidateAll(app.Services);
        // The token key, the database file and the data directory are checked now, before the host starts: a refusal
        // is then the one line Program prints, not also a "hosting failed to start" log with a stack trace.
        _ = app.Services.GetRequiredService<IArchiveStore>();
        _ = app.Services.GetRequiredService<NodeIdentity>();
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
        // Claimed when the node is created (one-off commands never are): node.id beside the token key, locked while it runs.
        services.AddSingleton(sp => NodeIdentity.Claim(
            DataDirectory(sp.GetRequiredService<IOptions<SecurityOptions>>().Value),
            sp.GetRequiredService<IOptions<NodeOptions>>().Value.NodeId));
        services.AddSingleton<IValidateOptions<ApiOptions>>(new SettingsValidator<ApiOptions>(ApiOptions.Section));
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)); // validated by ValidateAll, not on every reload
        services.AddSingleton<IValidateOptions<TelemetryOptions>>(new SettingsValidator<TelemetryOptions>(TelemetryOptions.Section));
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section));
    }

    /// <summary>The node's data directory: where its token key, API token and identity are kept.</summary>
    private static string DataDirectory(SecurityOptions security) => Path.GetDirectoryName(Path.GetFullPath(security.TokenKeyFile))!;

    private static void ValidateAll(IServiceProvider services)
    {
        services.ValidateSettings();
        _ = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
    }
}
