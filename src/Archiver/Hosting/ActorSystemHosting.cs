using Akka.Configuration;
using Akka.Hosting;
using Akka.Hosting.Configuration;
using Archiver.Core.Cluster;
using Archiver.Core.Control;
using Archiver.Core.Node;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

/// <summary>
/// The node's actor system: started and stopped by the Generic Host (Akka.Hosting), configured by the <c>akka</c>
/// section of the node's configuration (<c>hocon/archiver.conf</c>, environment, <c>--set</c>), and logging through
/// the host's <see cref="ILoggerFactory"/>, journaling customers' control state with Akka.Persistence.Sql beside the
/// store (<see cref="ControlPersistence"/>), and a member of the Akka cluster of the nodes sharing the store, its
/// endpoint from <c>archiver.cluster</c> (<see cref="ClusterSettings"/>). It runs the node's <see cref="NodeActor"/> (registered in the actor
/// registry; the edge reads the node through <see cref="ArchiverNode"/>). Stopping the host runs Akka's coordinated
/// shutdown, whose phase <c>service-stop</c> drains every customer and leaves the cluster.
/// </summary>
internal static class ActorSystemHosting
{
    public const string SystemName = "archiver";

    /// <summary>The configuration section handed to the actor system as it is written.</summary>
    public const string Section = "akka";

    public static IServiceCollection AddArchiverActorSystem(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = Settings(configuration);
        services.AddAkka(SystemName, (builder, provider) => builder
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .AddHocon(settings, HoconAddMode.Prepend) // after the loggers' defaults, so the file's loglevel wins
            .AddHocon(Persistence(provider), HoconAddMode.Append) // beneath the file's akka section, which may override it
            .AddHocon(ClusterSettings.Remote(provider.GetRequiredService<IOptions<ClusterOptions>>().Value), HoconAddMode.Append)
            .WithActors((system, registry, resolver) =>
                registry.Register<NodeActor>(resolver.GetService<ArchiverNode>().Start(system)))); // drains in phase service-stop
        return services;
    }

    /// <summary>
    /// Where customers' control state is journaled (<see cref="ControlPersistence"/>): a SQLite file of its own beside
    /// the store's (created owner-only), or the PostgreSQL store's database, in tables of its own.
    /// </summary>
    private static Config Persistence(IServiceProvider provider)
    {
        var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        return storage.UsesPostgres
            ? ControlPersistence.Postgres(storage.Postgres.ConnectionString)
            : ControlPersistence.Sqlite(provider.GetRequiredService<IOptions<PersistenceOptions>>().Value.SqlitePathBeside(storage.SqlitePath));
    }

    /// <summary>
    /// How long the host gives its services to stop: more than phase <c>service-stop</c> of the coordinated shutdown
    /// (40 s), in which every customer drains and hands its lease back before the store is disposed.
    /// </summary>
    public static TimeSpan DrainTimeout { get; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The node's own defaults for Akka, as <c>hocon/archiver.conf</c> documents them (Akka's own apply beneath): keys as
    /// configuration keys, so that the effective settings can be shown as they are handed over.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>(ClusterSettings.Defaults, StringComparer.OrdinalIgnoreCase)
    {
        ["akka:loglevel"] = "INFO",
        ["akka:scheduler:implementation"] = "Archiver.Core.Node.TimerQueueScheduler, Archiver.Core",
        ["akka:log-dead-letters"] = "10",
        ["akka:log-dead-letters-during-shutdown"] = "off",
        ["akka:coordinated-shutdown:default-phase-timeout"] = "5s",
        ["akka:coordinated-shutdown:phases:service-stop:timeout"] = "40s",
        ["akka:actor:default-dispatcher:fork-join-executor:parallelism-min"] = "2",
        ["akka:actor:default-dispatcher:fork-join-executor:parallelism-factor"] = "1.0",
        ["akka:actor:default-dispatcher:fork-join-executor:parallelism-max"] = "8",
    };

    /// <summary>The node's <c>akka</c> settings in force: <see cref="Defaults"/>, overridden by the configuration's <c>akka</c> section.</summary>
    public static IConfigurationSection Effective(IConfiguration configuration) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(Defaults)
            .AddInMemoryCollection(configuration.GetSection(Section).AsEnumerable().Where(entry => entry.Value is not null))
            .Build()
            .GetSection(Section);

    /// <summary>The <see cref="Effective"/> settings as Akka configuration.</summary>
    public static Config Settings(IConfiguration configuration) => Effective(configuration).ToHocon(normalizeKeys: false);
}
