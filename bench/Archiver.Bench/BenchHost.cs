using System.Security.Cryptography;
using Akka.Actor;
using Akka.Configuration;
using Archiver.Core.Cluster;
using Archiver.Core.Content;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Node;
using Archiver.Core.Pipeline;
using Archiver.Core.Retention;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Core.Uploads;
using Archiver.Dropbox;
using Archiver.Dropbox.Batching;
using Archiver.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Archiver.Bench;

/// <summary>
/// A node composed as <c>AddArchiver</c> composes it (the app's host is internal to its assembly): SQLite store in a
/// temporary directory, work signal, in-memory content, <see cref="DropboxClient"/> + <see cref="DropboxUploadTarget"/>
/// over HTTP to the emulator, and an <see cref="ArchiverNode"/> started in its own actor system, whose coordinated
/// shutdown drains it as the app's does. Customers' control state is journaled as the app journals it
/// (<see cref="ControlPersistence"/>, Akka.Persistence.Sql): in <c>akka.db</c> beside a SQLite store, or in the
/// PostgreSQL store's database when <c>persistenceConnectionString</c> names it — so the bench measures its cost too.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly Config _persistence;
    private readonly PipelineConfiguration _pipeline;
    private readonly IOptions<SupervisorOptions> _supervision;
    private readonly IOptions<NodeOptions> _node;
    private readonly IOptions<RetentionOptions>? _retention;
    private readonly IArchiveStore _store;
    private ActorSystem? _system;

    /// <param name="store">Builds the store from the work signal and token protector; SQLite in a temporary directory when null.</param>
    /// <param name="persistenceConnectionString">The PostgreSQL database of the store, for the control journal; a SQLite file beside the store's when null.</param>
    /// <param name="uploads">The node-wide upload budget (the app builds it from <see cref="NodeOptions.MaxUploads"/>); the app's default when null.</param>
    /// <param name="rateControllers">Each customer's rate controller (the baseline for some, to compare); the service's <see cref="RateController"/> when null.</param>
    /// <param name="retention">What the node's pruner removes and how often; the app's defaults (hourly) when null.</param>
    /// <param name="wrapStore">Wraps the store the node uses (to count its calls); the store itself when null.</param>
    public BenchHost(
        Uri emulator,
        PipelineOptions pipeline,
        NodeOptions? node = null,
        SupervisorOptions? supervision = null,
        Func<IUploadTarget, IUploadTarget>? wrapTarget = null,
        Func<WorkSignal, ITokenProtector, IArchiveStore>? store = null,
        string? persistenceConnectionString = null,
        UploadBudget? uploads = null,
        Func<CustomerId, ThrottleLimits, IRateController>? rateControllers = null,
        RetentionOptions? retention = null,
        Func<IArchiveStore, IArchiveStore>? wrapStore = null)
    {
        _directory = Path.Combine(Path.GetTempPath(), $"archiver-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        Signal = new WorkSignal();
        var tokens = new CachingTokenProtector(new AesGcmTokenProtector(TokenKey)); // as the app composes it
        _persistence = persistenceConnectionString is null
            ? ControlPersistence.Sqlite(Path.Combine(_directory, "akka.db"))
            : ControlPersistence.Postgres(persistenceConnectionString);
        _store = store?.Invoke(Signal, tokens) ?? new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Path.Combine(_directory, "archiver.db") }, tokens, Signal, TimeProvider.System);
        Store = wrapStore?.Invoke(_store) ?? _store;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 512,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Client = new DropboxClient(_http, new DropboxClientOptions
        {
            ApiBaseUri = emulator,
            ContentBaseUri = emulator,
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
        Target = new DropboxUploadTarget(Client, TimeProvider.System, batching: new BatchCommitOptions { OnlyUnderContention = true }); // the app's default, batch-commits = auto
        Content = new ContentSources([new GeneratedContent()]);
        Services = new PipelineServices(Store, wrapTarget?.Invoke(Target) ?? Target, Content, Signal, TimeProvider.System, NullLogger.Instance)
        {
            Uploads = uploads ?? new UploadBudget(new NodeOptions().MaxUploads), // as the app composes it
        };
        if (rateControllers is not null)
        {
            Services = Services with { RateControllers = rateControllers };
        }

        _pipeline = new PipelineConfiguration(pipeline);
        _supervision = Options.Create(supervision ?? new SupervisorOptions());
        _node = Options.Create(node ?? new NodeOptions { NodeId = "bench" }); // default refresh interval (2 s); the first refresh runs at start
        _retention = retention is null ? null : Options.Create(retention);
        Node = NewNode();
    }

    /// <summary>The app's settings for its actor system that matter here: quiet, and 40 s for the drain.</summary>
    private static Config ActorSettings { get; } = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          scheduler.implementation = "Archiver.Core.Node.TimerQueueScheduler, Archiver.Core" # as the app's defaults
          coordinated-shutdown {
            default-phase-timeout = 5s
            phases.service-stop.timeout = 40s
            run-by-clr-shutdown-hook = off
          }
        }
        """);

    /// <summary>One key for every host of a run, so hosts sharing a PostgreSQL database can read each other's customers.</summary>
    public static byte[] TokenKey { get; } = RandomNumberGenerator.GetBytes(32);

    public IArchiveStore Store { get; }

    public WorkSignal Signal { get; }

    public DropboxClient Client { get; }

    public DropboxUploadTarget Target { get; }

    public IContentSource Content { get; }

    public PipelineServices Services { get; }

    /// <summary>The node running now: a new one after each <see cref="RestartAsync"/>.</summary>
    public ArchiverNode Node { get; private set; }

    public static string TokenOf(string customer) => $"sl.bench-{customer}-token";

    public static NewItem Item(string customer, int index, int size, DateTimeOffset at) => new(
        new CustomerId(customer),
        $"{customer}-{index:D7}",
        ItemKind.CallRecording,
        GeneratedContent.UriFor($"{customer}-{index}", size),
        new ItemMetadata(at.AddSeconds(index), "+15551000", "+15552000"),
        size);

    private ArchiverNode NewNode() => new(Services, _pipeline, _supervision, _node, retentionOptions: _retention);

    public Task MigrateAsync(CancellationToken cancellationToken) => Store.MigrateAsync(cancellationToken);

    public Task AddCustomerAsync(string id, CustomerTuning tuning, CancellationToken cancellationToken) =>
        Store.AddCustomerAsync(new NewCustomer(new CustomerId(id), id, new DropboxCredentials(new Secret(TokenOf(id))), tuning), cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _system = ActorSystem.Create("archiver", ActorSettings.WithFallback(ClusterSettings.For(new ClusterOptions())).WithFallback(_persistence)); // as the app: a cluster member
        Node.Start(_system);
        return Task.CompletedTask;
    }

    /// <summary>Runs the actor system's coordinated shutdown, as the app's host does: every customer drains, then the system terminates.</summary>
    public async Task StopAsync()
    {
        if (_system is { } system)
        {
            _system = null;
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
    }

    /// <summary>
    /// Stops the node as the app's host does (coordinated shutdown: every customer drains, journals what it learned and
    /// releases its lease), then starts a new node under the same id in a new actor system on the same store and the
    /// same control journal, as a restarted process would. What is kept in memory besides (the HTTP client, the upload
    /// target, the store's connections) carries no customer state.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        Node = NewNode();
        await StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _http.Dispose();
        Services.Uploads.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
