using System.Security.Cryptography;
using Akka.Actor;
using Archiver.Core.Control;
using Archiver.Core.Customers;
using Archiver.Core.Items;
using Archiver.Core.Pipeline;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Core.Supervision;
using Archiver.Storage.Sqlite;
using Archiver.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Core.Tests.Pipeline;

/// <summary>A real SQLite store in a temporary file, an in-memory Dropbox and generated content.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly SqliteArchiveStore _sqlite;

    private PipelineHarness(string directory, SqliteArchiveStore sqlite, WorkSignal signal, Func<IArchiveStore, IArchiveStore>? wrap)
    {
        _directory = directory;
        _sqlite = sqlite;
        Signal = signal;
        Store = wrap?.Invoke(sqlite) ?? sqlite;
    }

    public IArchiveStore Store { get; }

    /// <summary>The harness's temporary directory, removed with it.</summary>
    public string DataDirectory => _directory;

    /// <summary>The signal the store pulses on enqueue.</summary>
    public WorkSignal Signal { get; }

    public FakeUploadTarget Target { get; } = new();

    /// <summary>Renews nothing unless a test calls <see cref="LeaseKeeper.RenewAllAsync"/>: tests end long before a 30 s lease runs out.</summary>
    public LeaseKeeper Leases => new(Store, Store, TimeSpan.FromSeconds(30), NullLogger.Instance);

    public PipelineServices Services => new(Store, Target, new GeneratedContentSource(), Signal, TimeProvider.System, NullLogger.Instance);

    /// <summary>
    /// The props of <paramref name="customer"/>'s actor on node <c>node</c> (its control state journaled wherever the actor system's
    /// persistence says: <see cref="ControlPersistence.InMemory"/> in these tests), with this harness's services unless others
    /// are given, and a lease keeper of its own unless <paramref name="leases"/> is given.
    /// </summary>
    public Props CustomerProps(
        Customer customer,
        CustomerActivity activity,
        PipelineConfiguration? configuration = null,
        SupervisorOptions? options = null,
        LeaseKeeper? leases = null,
        PipelineServices? services = null,
        PersistenceOptions? persistence = null) =>
        CustomerActor.Props(
            customer.Id, "node", configuration ?? Configuration(), options ?? new SupervisorOptions(), persistence ?? new PersistenceOptions(),
            services ?? Services, leases ?? Leases, activity);

    public static async Task<PipelineHarness> StartAsync(Func<IArchiveStore, IArchiveStore>? wrap = null)
    {
        var directory = Directory.CreateTempSubdirectory("archiver-pipeline-").FullName;
        var signal = new WorkSignal();
        var sqlite = new SqliteArchiveStore(
            new SqliteStoreOptions { DatabasePath = Path.Combine(directory, "archiver.db") },
            new AesGcmTokenProtector(RandomNumberGenerator.GetBytes(32)),
            signal,
            TimeProvider.System);
        await sqlite.MigrateAsync(CancellationToken.None);
        return new PipelineHarness(directory, sqlite, signal, wrap);
    }

    public static PipelineSettings Settings(
        int parallelism = 2, int bufferPerWorker = 4, int checkpointBatchSize = 500, TimeSpan? pollInterval = null, TimeSpan? idleAfter = null) =>
        Configuration(parallelism, bufferPerWorker, checkpointBatchSize, pollInterval, idleAfter: idleAfter).For(
            new Customer(new CustomerId("x"), "x", CustomerState.Active, new DropboxCredentials(null), CustomerTuning.Default, DateTimeOffset.UnixEpoch));

    public static PipelineConfiguration Configuration(
        int parallelism = 2, int bufferPerWorker = 4, int checkpointBatchSize = 500, TimeSpan? pollInterval = null, double ratePerSecond = 10_000,
        TimeSpan? idleAfter = null) =>
        new(new PipelineOptions
        {
            RatePerSecond = ratePerSecond,
            Burst = 10_000,
            Parallelism = parallelism,
            BufferPerWorker = bufferPerWorker,
            CheckpointBatchSize = checkpointBatchSize,
            PollInterval = pollInterval ?? TimeSpan.FromSeconds(1),
            IdleAfter = idleAfter ?? TimeSpan.FromSeconds(30),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            MaxAttempts = 3,
        });

    public async Task<Customer> AddCustomerAsync(string id) =>
        await Store.AddCustomerAsync(new NewCustomer(new CustomerId(id), id, new DropboxCredentials(new Secret("token-" + id))), CancellationToken.None);

    public async Task EnqueueAsync(CustomerId customer, int count, int from = 0) =>
        await Store.EnqueueAsync(
            Enumerable.Range(from, count).Select(i => new NewItem(customer, $"item-{i}", ItemKind.Sms, GeneratedContentSource.UriFor($"{customer}-{i}"),
                new ItemMetadata(DateTimeOffset.UnixEpoch.AddMinutes(i), "+1", "+2"))).ToArray(),
            CancellationToken.None);

    public async Task<CustomerProgress> ProgressAsync(CustomerId customer) =>
        (await Store.GetProgressAsync(customer, CancellationToken.None)).Single();

    public async ValueTask DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
