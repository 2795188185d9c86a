using Archiver.Core.Alerts;
using Archiver.Core.Cluster;
using Archiver.Core.Content;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Diagnostics;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Uploads;
using Archiver.Dropbox;
using Archiver.Dropbox.Auth;
using Archiver.Dropbox.Batching;
using Archiver.Storage.Postgres;
using Archiver.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Archiver.Hosting;

/// <summary>Wires a node: validated options, the store, Dropbox, content sources, and the actor system the node runs in.</summary>
internal static class ArchiverServiceCollectionExtensions
{
    public static IServiceCollection AddArchiver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PipelineOptions>(configuration, PipelineOptions.Section);
        services.AddValidatedOptions<SupervisorOptions>(configuration, SupervisorOptions.Section);
        services.AddValidatedOptions<NodeOptions>(configuration, NodeOptions.Section);
        services.AddValidatedOptions<ClusterOptions>(configuration, ClusterOptions.Section);
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.Section);
        services.AddValidatedOptions<PersistenceOptions>(configuration, PersistenceOptions.Section);
        services.AddValidatedOptions<SecurityOptions>(configuration, SecurityOptions.Section);
        services.AddValidatedOptions<DropboxOptions>(configuration, DropboxOptions.Section);
        services.AddValidatedOptions<DropboxAppOptions>(configuration, DropboxAppOptions.Section);
        services.AddValidatedOptions<ContentOptions>(configuration, ContentOptions.Section);
        services.AddValidatedOptions<RetentionOptions>(configuration, RetentionOptions.Section);
        services.AddValidatedOptions<AlertOptions>(configuration, AlertOptions.Section);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<IArchiveStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var tokenProtector = TokenKeys.Load(sp.GetRequiredService<IOptions<SecurityOptions>>().Value);
            return storage.UsesPostgres
                ? new PostgresArchiveStore(
                    new PostgresStoreOptions { ConnectionString = storage.Postgres.ConnectionString },
                    tokenProtector,
                    sp.GetRequiredService<WorkSignal>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Archiver.Storage.Postgres"))
                : new SqliteArchiveStore(
                    new SqliteStoreOptions { DatabasePath = storage.SqlitePath },
                    tokenProtector,
                    sp.GetRequiredService<WorkSignal>(),
                    sp.GetRequiredService<TimeProvider>());
        });

        services.AddSingleton<IContentSource>(sp =>
        {
            var content = sp.GetRequiredService<IOptions<ContentOptions>>().Value;
            var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) // HttpContentSource vets every hop
            {
                Timeout = content.HttpTimeout,
            };
            return new ContentSources([new FileContentSource(content.EffectiveRoots), new HttpContentSource(http, content.AllowedHosts)]);
        });

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DropboxOptions>>().Value;
            var http = new HttpClient(new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = sp.GetRequiredService<IOptions<NodeOptions>>().Value.MaxUploads, // see UploadBudget
            })
            {
                Timeout = Timeout.InfiniteTimeSpan, // per call, below
            };
            return new DropboxClient(http, new DropboxClientOptions
            {
                ApiBaseUri = options.ApiBaseUri,
                ContentBaseUri = options.ContentBaseUri,
                RequestTimeout = options.RequestTimeout,
            });
        });
        services.AddSingleton<IUploadTarget>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DropboxOptions>>().Value;
            return new DropboxUploadTarget(
                sp.GetRequiredService<DropboxClient>(),
                sp.GetRequiredService<TimeProvider>(),
                TokenSourceOf(sp),
                batching: new BatchCommitOptions
                {
                    Enabled = options.BatchCommits != BatchCommitMode.Off,
                    OnlyUnderContention = options.BatchCommits == BatchCommitMode.Auto,
                    MaxEntries = options.BatchMaxEntries,
                    MaxWait = options.BatchMaxWait,
                });
        });

        services.AddSingleton(sp => new PipelineServices(
            sp.GetRequiredService<IArchiveStore>(),
            sp.GetRequiredService<IUploadTarget>(),
            sp.GetRequiredService<IContentSource>(),
            sp.GetRequiredService<WorkSignal>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Archiver.Core.Pipeline"))
        {
            Uploads = sp.GetRequiredService<UploadBudget>(),
        });
        services.AddSingleton(sp => new UploadBudget(sp.GetRequiredService<IOptions<NodeOptions>>().Value.MaxUploads));
        services.AddSingleton(sp => PipelineConfigurationLoader.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddMetrics();
        services.AddSingleton<ArchiverMetrics>();
        services.AddSingleton<ArchiverNode>();
        services.AddSingleton<AlertDeliveryStatus>();
        services.AddSingleton<ConfigurationReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigurationReloader>());
        services.AddArchiverActorSystem(configuration); // runs the node; started after the services above, stopped before them
        return services;
    }

    /// <summary>
    /// Resolves every options class once, so a bad setting stops the command before anything starts, with every
    /// problem named by its key. Throws <see cref="OptionsValidationException"/>.
    /// </summary>
    public static void ValidateSettings(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        _ = services.GetRequiredService<PipelineConfiguration>(); // and the per-customer overrides
        _ = services.GetRequiredService<IOptions<SupervisorOptions>>().Value;
        _ = services.GetRequiredService<IOptions<NodeOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = services.GetRequiredService<IOptions<PersistenceOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DropboxOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DropboxAppOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ContentOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AlertOptions>>().Value;
    }

    /// <summary>Refreshes customers' access tokens, when a Dropbox app is configured; otherwise null.</summary>
    private static DropboxTokenSource? TokenSourceOf(IServiceProvider sp)
    {
        var app = sp.GetRequiredService<IOptions<DropboxAppOptions>>().Value;
        if (string.IsNullOrWhiteSpace(app.AppKey))
        {
            return null;
        }

        var dropbox = sp.GetRequiredService<IOptions<DropboxOptions>>().Value;
        return new DropboxTokenSource(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, // per request, in the token source
            new DropboxTokenSourceOptions
            {
                TokenBaseUri = dropbox.ApiBaseUri,
                AppKey = app.AppKey,
                AppSecret = string.IsNullOrEmpty(app.AppSecret) ? null : new Secret(app.AppSecret),
            },
            sp.GetRequiredService<TimeProvider>());
    }

    /// <summary>
    /// Binds and validates an options class; <see cref="ValidateSettings"/> resolves it before anything starts. Not
    /// <c>ValidateOnStart</c>: that keeps an options monitor listening, which re-validates on every configuration
    /// reload and throws out of the reload itself when an edit is out of range — edits are judged by
    /// <see cref="ConfigurationReloader"/>, which refuses them and keeps the last good configuration.
    /// </summary>
    private static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(section));
        return services.AddOptions<T>().Bind(configuration.GetSection(section));
    }
}
