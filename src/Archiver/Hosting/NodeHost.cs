namespace Archiver.App.Hosting;

/// <summary>Builds the generic host a node (or a one-off command) runs in.</summary>
internal static class NodeHost
{
    public static IHost Build(IConfiguration configuration, Action<IServiceCollection>? configure = null, LogLevel minimumLevel = LogLevel.Information)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddArchiver(builder.Configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        host.Services.ValidateSettings();
        return host;
    }
}
