using Archiver.Core.Pipeline;
using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Postgres;
using Archiver.Testing.Postgres;

namespace Archiver.Bench;

/// <summary>
/// Where one run keeps its data, fresh for that run: SQLite in the host's own temporary directory, or a new database
/// on the bench's throwaway PostgreSQL server (store and control journal both), dropped on dispose.
/// </summary>
internal sealed class RunDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;

    private RunDatabase(PostgresDatabase? postgres) => _postgres = postgres;

    public static RunDatabase Sqlite { get; } = new(null);

    public static async Task<RunDatabase> PostgresAsync(CancellationToken cancellationToken) =>
        new(await PostgresDatabase.CreateAsync("bench", cancellationToken));

    /// <summary>
    /// A host (not started) on this data, talking to the emulator at <paramref name="emulator"/>, its store seen
    /// through <paramref name="wrapStore"/> when given.
    /// </summary>
    public BenchHost Host(Uri emulator, Func<IArchiveStore, IArchiveStore>? wrapStore = null) => _postgres is null
        ? new BenchHost(emulator, new PipelineOptions(), wrapStore: wrapStore)
        : new BenchHost(
            emulator,
            new PipelineOptions(),
            store: PostgresStore(_postgres.ConnectionString),
            persistenceConnectionString: _postgres.ConnectionString,
            wrapStore: wrapStore);

    /// <summary>Builds the PostgreSQL store of <paramref name="connectionString"/> for a <see cref="BenchHost"/>, as the app composes it.</summary>
    public static Func<WorkSignal, ITokenProtector, IArchiveStore> PostgresStore(string connectionString) =>
        (signal, tokens) => new PostgresArchiveStore(new PostgresStoreOptions { ConnectionString = connectionString }, tokens, signal, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
