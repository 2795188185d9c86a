using Archiver.Core.Security;
using Archiver.Core.Storage;
using Archiver.Storage.Relational;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.Storage.Postgres;

/// <summary>
/// The cluster <see cref="IArchiveStore"/>: one PostgreSQL database shared by every node. Claims lock rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers never wait on or double-claim an item; claims and checkpoints
/// check the lease's fencing token against the <c>leases</c> row in the same statement, holding a share lock on it, so
/// a node whose lease was taken over can never write. Enqueues <c>NOTIFY</c> the other nodes, whose listeners pulse
/// their <see cref="WorkSignal"/> (see <see cref="WorkListener"/>, started by <see cref="MigrateAsync"/>). What every
/// SQL store does alike it inherits from <see cref="RelationalArchiveStore"/>; this class runs what PostgreSQL does its
/// own way. The operations are split by area over the partial files beside this one.
/// </summary>
public sealed partial class PostgresArchiveStore : RelationalArchiveStore, IAsyncDisposable
{
    private readonly NpgsqlDatabase _database;
    private readonly WorkSignal _workSignal;
    private readonly WorkListener _listener;

    public PostgresArchiveStore(
        PostgresStoreOptions options, ITokenProtector tokenProtector, WorkSignal workSignal, TimeProvider timeProvider, ILogger? logger = null)
        : base(tokenProtector, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenProtector);
        ArgumentNullException.ThrowIfNull(workSignal);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        _database = new NpgsqlDatabase(options.ConnectionString);
        _workSignal = workSignal;
        _listener = new WorkListener(options, workSignal, logger ?? NullLogger.Instance);
    }

    private protected override IStoreDatabase Database => _database;

    /// <summary>
    /// Brings the schema to the latest version, then starts listening for other nodes' enqueues (once per store).
    /// A node calls it on every start; a store that is never migrated never opens the listening connection.
    /// </summary>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await PostgresMigrator.Instance.ApplyAsync(connection, Migrations.All, Time.Now, cancellationToken).ConfigureAwait(false);
        }

        await _listener.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A CTE that yields one row when the lease's token is still the customer's current one, and holds a share lock
    /// on the lease row until the statement's transaction ends: a takeover (which updates that row) waits for the
    /// write to commit and then returns its claims to pending; a write that waited on a takeover re-reads the row
    /// and finds its token stale. Binds <c>@customer</c> and <c>@token</c>.
    /// </summary>
    private const string CurrentLeaseCte =
        "current_lease AS (SELECT 1 FROM leases WHERE customer_id = @customer AND fencing_token = @token FOR SHARE)";
}
